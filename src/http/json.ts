/**
 * Reading a peer's answer: non-2xx statuses become RequestFailure with the peer's own reason,
 * and bodies that are HTML, empty or cut short say so instead of surfacing a JSON.parse stack.
 */
import { RequestFailure, type FailureKind } from './failure.js';
import type { HttpResponse } from './client.js';
import { sanitizeText } from '../output/sanitize.js';

const STATUS_KINDS: Record<number, FailureKind> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' };
const REASON_MAX = 200;
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
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // A parser that stopped at the very end of the text ran out of input: the body was cut short.
    const position = /at position (\d+)/.exec(detail);
    const truncated = /end of (JSON )?input|Unterminated/i.test(detail) || (position !== null && Number(position[1]) >= text.trimEnd().length);
    throw new RequestFailure('bad-response', truncated ? `answered truncated JSON (${text.length} bytes)` : `answered invalid JSON: ${sanitizeText(detail).slice(0, REASON_MAX)}`, status);
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

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, ' ');
}

function htmlTitle(html: string): string {
  const match = /<title>([\s\S]*?)<\/title>/i.exec(html) ?? /<h1>([\s\S]*?)<\/h1>/i.exec(html);
  return match?.[1] ? oneLine(match[1]) : '';
}

function oneLine(text: string): string {
  const line = sanitizeText(text.replace(/\s+/g, ' ').trim());
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
}
