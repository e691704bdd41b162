/**
 * What a node's listing reveals of its cache driver. centralized_db (the default from Glance 2024.1)
 * gives each entry its database row id; the sqlite and xattr drivers' entries look alike, and an empty
 * cache shows nothing at all: for those the answer is null, not a guess.
 */
import type { NodeCache } from './model.js';

export type RevealedDriver = 'centralized_db';

export function revealedCacheDriver(cache: NodeCache | null): RevealedDriver | null {
  return cache?.cached.some((entry) => entry.rowId !== undefined) ? 'centralized_db' : null;
}
