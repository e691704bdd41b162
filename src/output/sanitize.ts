/**
 * Everything a node returns is untrusted: control characters (C0, DEL, C1 — which covers ESC and CSI)
 * are shown as visible escapes so no response can move the cursor, retitle the terminal or hide text.
 * So are the invisible format characters (zero-width space, joiners, the LRM/RLM bidi marks, word joiner,
 * BOM): `prod\u200bgolden` must not read as `prodgolden`, and a table's widths stay what its cells show.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function sanitizeText(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** JSON.stringify leaves DEL, C1 and bidi controls raw; escape them too so piped JSON is terminal-safe. */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
