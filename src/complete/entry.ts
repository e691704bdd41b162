/**
 * `glance-cache __complete KIND CURRENT [WORD...]`: the dynamic values a shell offers on TAB, one
 * `value<TAB>description` line each. KIND is nodes, labels or images, CURRENT the word being completed and WORDS
 * the rest of the command line (for -i). bin/ calls this before loading the CLI, so only this module's
 * small imports load; the inventory parser loads only when the names cache is stale.
 * Whatever goes wrong, the answer is empty: a TAB never prints an error into the terminal.
 */
import { locateInventory } from '../inventory/locate.js';
import { cacheDir } from './cache-files.js';
import { formatCandidates, imageCandidates, labelCandidates, nodeCandidates } from './candidates.js';
import { recentImages } from './images.js';
import { inventoryNames } from './inventory-names.js';
import { expandHome, inventoryFlag, shellUnquote } from './words.js';

export async function complete(words: readonly string[], env: Record<string, string | undefined>, cwd: string, home: string): Promise<string> {
  const [kind, typed = '', ...others] = words;
  try {
    const current = shellUnquote(typed);
    const flag = inventoryFlag(others);
    const options = { flag: flag === undefined ? undefined : expandHome(flag, home), env, cwd, home };
    const dir = cacheDir(env, home);
    if (kind === 'nodes') return formatCandidates(nodeCandidates(await inventoryNames({ ...options, cacheDir: dir }), current));
    if (kind === 'labels') return formatCandidates(labelCandidates(await inventoryNames({ ...options, cacheDir: dir }), current));
    if (kind === 'images') {
      const { path } = await locateInventory(options);
      return formatCandidates(imageCandidates(await recentImages(dir, path, Date.now()), current));
    }
    return '';
  } catch {
    return '';
  }
}
