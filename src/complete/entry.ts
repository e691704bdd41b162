/** Placeholder: dynamic completion values (issue: operator terminals). Prints nothing, never fails. */
export async function complete(_words: string[], _env: Record<string, string | undefined>, _cwd: string): Promise<string> {
  return '';
}
