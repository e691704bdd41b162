/**
 * What the peer-client contract keeps of one HTTP exchange: enough to tell two servers apart by the way
 * they answer (status, content type, the shape of the body), nothing that varies from run to run (IDs,
 * times, counts) and nothing secret (no headers are kept at all).
 */

/** A JSON body with every value replaced by its type; arrays by the distinct shapes of their items. */
export type Shape = string | Shape[] | { [key: string]: Shape };

export interface RecordedRequest {
  method: string;
  /** The path and query with the scenario's IDs and names as placeholders. */
  path: string;
  status: number;
  /** The Content-Type header as sent, '' without one. */
  type: string;
  /** 'empty', 'html', 'text', or the JSON skeleton. */
  shape: Shape;
}

/** One client call and what its caller saw: "ok", "raised HTTPNotFound", "exit 1". */
export interface RecordedCall {
  call: string;
  outcome: string;
  /** glance-cache-manage's first line of output, digits as N. */
  says?: string;
  requests: RecordedRequest[];
}

export function jsonShape(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const distinct = new Map<string, Shape>();
    for (const item of value) {
      const shape = jsonShape(item);
      distinct.set(JSON.stringify(shape), shape);
    }
    return [...distinct.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, shape]) => shape);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([key, item]) => [key, jsonShape(item)]));
  }
  return typeof value;
}

export function bodyShape(contentType: string, body: string): Shape {
  if (body.length === 0) return 'empty';
  if (/html/i.test(contentType)) return 'html';
  try {
    return jsonShape(JSON.parse(body));
  } catch {
    return 'text';
  }
}

/**
 * The request path with each known value as its placeholder ({image}, {name}...), in plain and
 * percent-encoded form, and any other UUID as {uuid}.
 */
export function pathTemplate(path: string, placeholders: Record<string, string>): string {
  let template = path;
  for (const [value, placeholder] of Object.entries(placeholders)) {
    for (const form of new Set([value, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+')])) {
      template = template.split(form).join(placeholder);
    }
  }
  return template.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{uuid}');
}

/** The differences between two recordings of the same scenario, one line each; [] when they agree. */
export function differences(expected: RecordedCall[], actual: RecordedCall[], names: [string, string]): string[] {
  const [was, is] = names;
  const found: string[] = [];
  const calls = Math.max(expected.length, actual.length);
  for (let index = 0; index < calls; index += 1) {
    const before = expected[index];
    const after = actual[index];
    const label = `${index + 1}. ${before?.call ?? after?.call}`;
    if (!before || !after || before.call !== after.call) {
      found.push(`${label}: the call is ${before?.call ?? 'absent'} in ${was}, ${after?.call ?? 'absent'} in ${is}`);
      continue;
    }
    if (before.outcome !== after.outcome || (before.says ?? '') !== (after.says ?? '')) {
      found.push(`${label}: ${was} ${outcomeText(before)}, ${is} ${outcomeText(after)}`);
    }
    const requests = Math.max(before.requests.length, after.requests.length);
    for (let at = 0; at < requests; at += 1) {
      const a = before.requests[at];
      const b = after.requests[at];
      const line = requestText(a);
      if (line !== requestText(b)) found.push(`${label}, request ${at + 1}: ${was} ${line}, ${is} ${requestText(b)}`);
    }
  }
  return found;
}

export function outcomeText(call: RecordedCall): string {
  return call.says ? `${call.outcome} ("${call.says}")` : call.outcome;
}

export function requestText(request: RecordedRequest | undefined): string {
  if (!request) return '(no request)';
  return `${request.method} ${request.path} -> ${request.status} ${request.type || '(no content type)'} ${JSON.stringify(request.shape)}`;
}
