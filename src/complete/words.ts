/**
 * Reading the command line a shell hands to `glance-cache __complete`: words arrive as typed (bash keeps
 * quotes and backslashes in COMP_WORDS), so they are unquoted here, without ever evaluating them.
 */

/** POSIX-shell unquoting of one word: backslashes, '…' and "…"; an unterminated quote runs to the end. */
export function shellUnquote(word: string): string {
  let out = '';
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < word.length; i++) {
    const char = word[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else out += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < word.length && '$`"\\\n'.includes(word[i + 1]!)) out += word[++i];
      else out += char;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '\\' && i + 1 < word.length) {
      out += word[++i];
    } else if (char !== '\\') {
      out += char;
    }
  }
  return out;
}

/** The -i/--inventory value among the words, as commander takes it: the last one given wins. */
export function inventoryFlag(words: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-i' || word === '--inventory') {
      // bash splits `--inventory=path` at "=" into three words.
      const next = words[i + 1] === '=' ? i + 2 : i + 1;
      if (next < words.length) found = words[next];
      i = next;
    } else if (word.startsWith('--inventory=')) {
      found = word.slice('--inventory='.length);
    } else if (word.startsWith('-i') && word.length > 2 && !word.startsWith('--')) {
      found = word.slice(2);
    }
  }
  return found === undefined ? undefined : shellUnquote(found);
}

/** `glance01,gla` → the terms already chosen and the one being typed. */
export function splitNodeSet(current: string): { chosen: string[]; head: string; typing: string } {
  const comma = current.lastIndexOf(',');
  const head = current.slice(0, comma + 1);
  return { chosen: head.split(',').filter(Boolean), head, typing: current.slice(comma + 1) };
}

/** `~/x` as a shell would have expanded it, had the word not been handed over as typed. */
export function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}
