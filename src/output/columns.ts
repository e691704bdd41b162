/**
 * A column knows its JSON field name (the key, also what -c takes) and how to show a row on a
 * terminal or in a pipe: relative ages on a TTY, ISO-8601 when piped.
 */
export interface DisplayContext {
  tty: boolean;
  /** Epoch milliseconds: "now" for relative ages. */
  now: number;
}

export interface Column<R> {
  key: string;
  header: string;
  text(row: R, context: DisplayContext): string;
  align?: 'right';
}

/** Picks the columns named by -c (in the order given); unknown names are a usage error listing the valid ones. */
export function pickColumns<R>(columns: readonly Column<R>[], wanted: readonly string[]): Column<R>[] | string {
  if (wanted.length === 0) return [...columns];
  const picked: Column<R>[] = [];
  for (const name of wanted.flatMap((item) => item.split(','))) {
    const column = columns.find((candidate) => candidate.key === name.trim().toLowerCase() || candidate.header.toLowerCase() === name.trim().toLowerCase());
    if (!column) return `unknown column '${name}'; choose from: ${columns.map((candidate) => candidate.key).join(', ')}`;
    picked.push(column);
  }
  return picked;
}
