/**
 * Reading a peer's answer: non-2xx statuses become RequestFailure with the peer's own reason,
 * and bodies that are HTML, empty or cut short say so instead of surfacing a JSON.parse stack. The peer's
 * text is kept as data, control characters included: output escapes it where it is printed (output/sanitize).
 */
import type { FailureKind } from '../core/model.js';
import { RequestFailure } from './failure.js';
import type { HttpResponse } from './client.js';
import { REDACTED } from './redact.js';

const STATUS_KINDS: Record<number, FailureKind> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' };
const REASON_MAX = 200;
/** A longer duplicate key is described by its length: it came from a peer and could be anything. */
const KEY_SHOWN_MAX = 64;
const VERSION_LIST = "the API's version list, its answer to a path it does not serve: check the URL and its path prefix";

/** Throws unless status is one of `ok`; the message carries the status and the peer's reason. */
export function expectStatus(response: HttpResponse, ok: readonly number[]): void {
  if (ok.includes(response.status)) return;
  const kind = STATUS_KINDS[response.status] ?? 'http';
  const reason = errorReason(response.text);
  throw new RequestFailure(kind, `HTTP ${response.status}${reason ? `: ${reason}` : ''}`, response.status);
}

/** The status must be in `ok` and the body must be JSON; returns it unvalidated (callers check the shape). */
export function expectJson(response: HttpResponse, ok: readonly number[] = [200]): unknown {
  expectStatus(response, ok);
  return parseJsonBody(response.text, response.status);
}

export function parseJsonBody(text: string, status: number): unknown {
  const trimmed = text.trimStart();
  if (trimmed === '') throw new RequestFailure('bad-response', `answered ${status} with an empty body, expected JSON`, status);
  if (trimmed.startsWith('<')) {
    const title = htmlTitle(trimmed);
    throw new RequestFailure('bad-response', `answered ${status} with HTML, not JSON${title ? ` (${title})` : ''}`, status);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the fault ("…, "{"name": "gAAAA"... is not valid JSON"), cut at its own
    // length: a token in the body would show its head there, past any scrubbing. The cause alone is kept.
    const detail = (error instanceof Error ? error.message : String(error)).replace(/, (\.\.\.)?"[\s\S]*is not valid JSON$/, '');
    // A parser that stopped at the very end of the text ran out of input: the body was cut short.
    const position = /at position (\d+)/.exec(detail);
    const truncated = /end of (JSON )?input|Unterminated/i.test(detail) || (position !== null && Number(position[1]) >= text.trimEnd().length);
    throw new RequestFailure('bad-response', truncated ? `answered truncated JSON (${text.length} bytes)` : `answered invalid JSON: ${detail.slice(0, REASON_MAX)}`, status);
  }
  const duplicate = duplicateKey(text, value);
  if (duplicate !== undefined) {
    const shown = duplicate.length <= KEY_SHOWN_MAX ? `"${duplicate}"` : `of ${duplicate.length} characters`;
    // JSON.parse keeps the last value, another reader (a proxy, a log) may keep the first: which one the node meant is a guess.
    throw new RequestFailure('bad-response', `answered JSON with a duplicate key ${shown} in one object; refused, as either value could be the one meant`, status);
  }
  return value;
}

/**
 * A key given twice in one object of `text`, which JSON.parse read as `value`. Every key is followed by
 * one colon: when the text holds as many colons as the parsed value holds keys, none was repeated (and no
 * string holds a colon): a cache listing's common case, for about a quarter of the parse's time (measured
 * on a 1.3 MB listing). Otherwise the text is scanned object by object.
 */
function duplicateKey(text: string, value: unknown): string | undefined {
  return colonCount(text) === keyCount(value) ? undefined : scanForDuplicateKey(text);
}

function colonCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) count++;
  return count;
}

/** Iterative: a hostile body nested ten thousand deep must not overflow the stack. */
function keyCount(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const inner of item) if (typeof inner === 'object' && inner !== null) pending.push(inner);
      continue;
    }
    for (const key in item) {
      count++;
      const inner = (item as Record<string, unknown>)[key];
      if (typeof inner === 'object' && inner !== null) pending.push(inner);
    }
  }
  return count;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** Walks text already known to be valid JSON, keeping the keys of each open object. */
function scanForDuplicateKey(text: string): string | undefined {
  const outer: (Set<string> | null)[] = [];
  // The keys of the innermost open object; null inside an array.
  let keys: Set<string> | null = null;
  let keyNext = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char === QUOTE) {
      const start = at + 1;
      at = closingQuote(text, start);
      if (keyNext && keys) {
        const raw = text.slice(start, at);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (keys.has(key)) return key;
        keys.add(key);
        keyNext = false;
      }
    } else if (char === OPEN_OBJECT) {
      outer.push(keys);
      keys = new Set();
      keyNext = true;
    } else if (char === OPEN_ARRAY) {
      outer.push(keys);
      keys = null;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      keys = outer.pop() ?? null;
      keyNext = false;
    } else if (char === COMMA) {
      keyNext = keys !== null;
    }
  }
  return undefined;
}

/** The index of the quote that ends the string starting at `start`: the first not escaped by a backslash. */
function closingQuote(text: string, start: number): number {
  let at = text.indexOf('"', start);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
}

/** Glance and Keystone error bodies, JSON ({message}, {error:{message}}) or HTML, reduced to one line. */
export function errorReason(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  if (trimmed.startsWith('{')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      // Glance and Keystone answer a path they do not serve with their version list (300), not an error.
      if (body.versions !== undefined && body.message === undefined && body.error === undefined) return VERSION_LIST;
      const inner = (body.error ?? body.badRequest ?? body.forbidden ?? body.itemNotFound ?? body) as Record<string, unknown>;
      const message = inner.message ?? inner.title ?? body.title;
      // Glance's JSON messages still carry the HTML of its webob templates ("…action.<br /><br />").
      if (typeof message === 'string') return oneLine(stripTags(message));
    } catch {
      // Not JSON after all: fall through to the text form.
    }
  }
  // The body says it once ("503 Service Unavailable nginx"); the head would repeat it as the title.
  if (trimmed.startsWith('<')) return oneLine(stripTags(trimmed.replace(/<(head|script|style)[\s\S]*?<\/\1>/gi, ' '))) || htmlTitle(trimmed);
  return oneLine(trimmed);
}

/** The scrubber's mark is no tag: error bodies are scrubbed as they arrive (scrubErrorBodies), before this. */
function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, (tag) => (tag === REDACTED ? tag : ' '));
}

function htmlTitle(html: string): string {
  const match = /<title>([\s\S]*?)<\/title>/i.exec(html) ?? /<h1>([\s\S]*?)<\/h1>/i.exec(html);
  return match?.[1] ? oneLine(match[1]) : '';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
}
