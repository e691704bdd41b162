/**
 * Secrets must never reach a terminal, a log or a file: every line, document and file the tool writes
 * passes through here.
 */
import { sanitizeText } from '../output/sanitize.js';
import type { HttpClient } from './client.js';

const SECRET_KEY = /(pass(word)?|secret|token|credential|auth)/i;
export const REDACTED = '<redacted>';
/**
 * Shorter secrets are not searched for in text: a password `2026` would turn every timestamp into
 * `<redacted>-12-05…`, and a token `null,` would break the JSON it was cut out of.
 */
export const MIN_SCRUBBED_LENGTH = 8;

/** Header values of secret-bearing headers are replaced; the rest kept for debugging. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = /^(x-auth-token|x-subject-token|authorization|cookie|set-cookie|x-service-token)$/i.test(name) ? REDACTED : value;
  }
  return out;
}

/** Userinfo and secret-looking query parameters are removed from a URL. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? REDACTED : '';
    parsed.password = '';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_KEY.test(key)) parsed.searchParams.set(key, REDACTED);
  }
  return parsed.toString();
}

/** A JSON-able value with every secret-named field replaced, at any depth. */
export function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && (typeof inner === 'string' || typeof inner === 'number') ? REDACTED : redactValue(inner);
    }
    return out;
  }
  return value;
}

/**
 * The one place that knows the run's secrets (token, password, application-credential secret) and scrubs
 * them from whatever is written out: log lines, results, `--summary`, metrics and completion caches. A
 * secret is looked for as written by each format the tool or a peer may have put it in: raw, escaped
 * for JSON (`"` and `\`, and ASCII-only as Python writes it), URL-encoded, HTML-escaped, quoted for CSV and
 * YAML, and with controls escaped.
 */
export class SecretScrubber {
  /** Every form of every secret, longest first: a shorter one inside a longer must not leave the rest visible. */
  private forms: string[] = [];
  private readonly seen = new Set<string>();

  /** `warn` is told once per secret that is too short to scrub (see MIN_SCRUBBED_LENGTH). */
  constructor(private readonly warn: (line: string) => void = () => {}) {}

  /** `what` names the secret for that warning: "the password from OS_* environment". */
  add(secret: string | undefined | null, what = 'a secret'): void {
    if (!secret || this.seen.has(secret)) return;
    this.seen.add(secret);
    if (secret.length < MIN_SCRUBBED_LENGTH) {
      this.warn(`${what} is shorter than ${MIN_SCRUBBED_LENGTH} characters, too short to tell apart from ordinary text: it cannot be reliably redacted from what nodes and Keystone send back, so it is not; use a longer one`);
      return;
    }
    this.forms = [...new Set([...this.forms, ...formsOf(secret)])].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** Every string (keys included) of a JSON-able value scrubbed, so a document stays valid whatever a secret holds. */
  scrubValue(value: unknown): unknown {
    return this.forms.length === 0 ? value : mapStrings(value, (text) => this.scrub(text));
  }

  /**
   * A peer's answer, scrubbed as text and then, when it is JSON, string by string as it decodes: a JSON
   * writer may escape any character (`\u0070` for `p`), more ways than any list of forms holds, and what
   * reads the answer (errorReason) decodes it, strips tags and cuts it short after this, where a secret
   * cut in two could no longer be found. Written out again only when a decoded string held a secret.
   */
  scrubAnswer(text: string): string {
    const scrubbed = this.scrub(text);
    if (this.forms.length === 0) return scrubbed;
    let value: unknown;
    try {
      value = JSON.parse(scrubbed);
    } catch {
      return scrubbed;
    }
    let found = false;
    const clean = mapStrings(value, (inner) => {
      const out = this.scrub(inner);
      found ||= out !== inner;
      return out;
    });
    return found ? JSON.stringify(clean) : scrubbed;
  }
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [map(key), mapStrings(inner, map)]));
  return value;
}

function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const url = encodeURIComponent(secret);
  return [
    secret,
    json,
    // ASCII-only JSON, as Python's json.dumps writes it by default (Keystone's errors): `\u00e4` for `ä`,
    // and DEL too; other writers use capital hex digits or leave DEL alone.
    ...[/[\u007f-\uffff]/g, /[\u0080-\uffff]/g].flatMap((wide) => {
      const escaped = json.replace(wide, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return [escaped, escaped.replace(/\\u[0-9a-f]{4}/g, (escape) => `\\u${escape.slice(2).toUpperCase()}`)];
    }),
    sanitizeText(secret),
    url,
    url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    // Python's html.escape writes ' as &#x27;, other escapers as &#39;.
    ...['#x27', '#39'].map((apostrophe) => secret.replace(/[&<>"']/g, (char) => `&${char === "'" ? apostrophe : HTML_ENTITIES[char]};`)),
    secret.replaceAll('"', '""'),
    secret.replaceAll("'", "''"),
  ];
}

const HTML_ENTITIES: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' };

/**
 * A client whose error answers (anything but 2xx) come back scrubbed, raw and decoded (scrubAnswer): a
 * peer's error message is cut to one short line (errorReason), and a cut made before scrubbing would keep
 * the head of a token it quoted.
 */
export function scrubErrorBodies(http: HttpClient, scrubber: SecretScrubber): HttpClient {
  return {
    async send(request) {
      const response = await http.send(request);
      if (response.status >= 200 && response.status < 300) return response;
      const text = scrubber.scrubAnswer(response.text);
      return text === response.text ? response : { status: response.status, headers: response.headers, bytes: Buffer.from(text), text };
    },
  };
}
