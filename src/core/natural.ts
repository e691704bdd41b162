/**
 * Natural order ("glance2" before "glance10"), the order operators expect node names in; ASCII letters
 * compare without case. Hand-written rather than Intl.Collator: building a collator loads ICU data,
 * ~8 ms of every run's start-up (docs/architecture.md, "Start-up"), and this order does not change with the ICU version.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      const endA = digitsEnd(a, i);
      const endB = digitsEnd(b, j);
      const byValue = compareDigitRuns(a, i, endA, b, j, endB);
      if (byValue !== 0) return byValue;
      i = endA;
      j = endB;
      continue;
    }
    const byChar = foldCase(x) - foldCase(y);
    if (byChar !== 0) return byChar;
    i++;
    j++;
  }
  const byLength = a.length - i - (b.length - j);
  if (byLength !== 0) return byLength;
  // Equal but for case or leading zeros: still a total order, so sorting is stable across input orders.
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function digitsEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  return end;
}

/** By numeric value, of runs of any length: leading zeros skipped, then the longer run is the bigger number. */
function compareDigitRuns(a: string, i: number, endA: number, b: string, j: number, endB: number): number {
  while (i < endA - 1 && a.charCodeAt(i) === 48) i++;
  while (j < endB - 1 && b.charCodeAt(j) === 48) j++;
  const byLength = endA - i - (endB - j);
  if (byLength !== 0) return byLength;
  for (; i < endA; i++, j++) {
    const byDigit = a.charCodeAt(i) - b.charCodeAt(j);
    if (byDigit !== 0) return byDigit;
  }
  return 0;
}
