/**
 * Secrets must never reach a terminal or a log: every debug line passes through here.
 */
const SECRET_KEY = /(pass(word)?|secret|token|credential|auth)/i;
export const REDACTED = '<redacted>';

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
 * Last line of defence: known secret strings (the run's token, password, app-credential secret)
 * are scrubbed from any text before it is written out.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let out = text;
    // Longest first: a shorter secret inside a longer one must not leave the longer one's remainder visible.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
    return out;
  }
}
