/**
 * The images `ls` has seen, as completion remembers them: pure, so the memory's rules (what is kept, what
 * expires) are tested without a disk or a clock.
 */
import type { KnownImage } from './candidates.js';

/** How long an image stays offered after the last `ls` that saw it: a day of ordinary operator work. */
export const IMAGE_MEMORY_MS = 24 * 60 * 60 * 1000;

export interface RememberedImage extends KnownImage {
  /** When an `ls` last saw it, epoch ms. */
  seen_ms: number;
}

/** What a listing saw, added to what is still remembered: a listing of some nodes forgets nothing it did not see. */
export function rememberSeen(previous: readonly RememberedImage[], seen: readonly KnownImage[], now: number, ttlMs = IMAGE_MEMORY_MS): RememberedImage[] {
  const byId = new Map<string, RememberedImage>();
  for (const image of previous) {
    if (now - image.seen_ms < ttlMs) byId.set(image.id, image);
  }
  for (const image of seen) byId.set(image.id, { id: image.id, name: image.name ?? byId.get(image.id)?.name ?? null, seen_ms: now });
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The entries of a cache file still worth offering; anything malformed (a hand edit, an old format) is skipped. */
export function stillRemembered(entries: unknown, now: number, ttlMs = IMAGE_MEMORY_MS): RememberedImage[] {
  if (!Array.isArray(entries)) return [];
  return entries.filter(
    (entry: Partial<RememberedImage> | null): entry is RememberedImage =>
      typeof entry?.id === 'string' &&
      (typeof entry.name === 'string' || entry.name === null) &&
      typeof entry.seen_ms === 'number' &&
      now - entry.seen_ms < ttlMs,
  );
}
