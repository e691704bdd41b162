/**
 * Node and images URLs as the tool stores them: http(s), no credentials, no query, no trailing slash,
 * so that two spellings of one endpoint compare equal.
 */
export function normalizeServiceUrl(text: string): { url: string } | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { problem: `${JSON.stringify(text)} is not a URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { problem: `${JSON.stringify(text)} is not an http(s) URL` };
  }
  // The URL is not quoted back: it holds a secret.
  if (parsed.username || parsed.password) return { problem: 'URLs must not hold credentials: put them under auth:' };
  if (parsed.search || parsed.hash || /[?#]/.test(text)) {
    return { problem: `${JSON.stringify(text)} must not have a query or fragment` };
  }
  return { url: `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}` };
}
