/**
 * An image name as the plan shows it before anything is sent. Names come from Glance and anyone may set
 * them: `prod-golden` and `prod-golden ` (a trailing space), `prod  golden` or `prod‐golden` (U+2010)
 * must not read alike when an operator confirms deletions. So the name is quoted as JSON quotes it (ends
 * and controls visible), and each character outside ASCII that is no letter, mark or digit (dashes,
 * spaces, invisible format characters) is written as JSON's \uXXXX. The ID beside it stays the identity.
 */
import { suggestNames } from '../core/name-match.js';

const LOOKALIKE = /[^\p{L}\p{M}\p{N}\x20-\x7e]/gu;

export function planName(name: string): string {
  return JSON.stringify(name).replace(LOOKALIKE, (char) => [...Array(char.length).keys()].map((unit) => `\\u${char.charCodeAt(unit).toString(16).padStart(4, '0')}`).join(''));
}

/** `; closest: "cirros-0.6.2-0001", "cirros-0.6.2-0002"` for a name that matched nothing, or '' when none is close. */
export function closestNamesText(given: string, known: Iterable<string>): string {
  const closest = suggestNames(given, known);
  return closest.length === 0 ? '' : `; closest: ${closest.map(planName).join(', ')}`;
}
