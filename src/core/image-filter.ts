/**
 * `ls`'s filters over the merged images, and the totals its footer states. Pure: images in, images out.
 */
import type { MergedImage } from './merge.js';
import { globMatcher } from './name-match.js';

export interface ImageFilter {
  /** A glob or an exact name; images without a name never match. */
  name: string | null;
  /** Last read anywhere longer ago than this. */
  olderThanMs: number | null;
  /** Last read anywhere within this. */
  newerThanMs: number | null;
}

/**
 * The images the filter keeps, in their order. The age is Glance's last_accessed, which a copy never read
 * has from its caching; an image only queued (or on a driver that keeps no access time) has none: its age
 * is unknown, so neither --older-than nor --newer-than keeps it.
 */
export function filterImages(images: readonly MergedImage[], filter: ImageFilter, nowMs: number): MergedImage[] {
  const named = filter.name === null ? null : globMatcher(filter.name);
  const olderCutoff = filter.olderThanMs === null ? null : (nowMs - filter.olderThanMs) / 1000;
  const newerCutoff = filter.newerThanMs === null ? null : (nowMs - filter.newerThanMs) / 1000;
  return images.filter((image) => {
    if (named && (image.name === null || !named(image.name))) return false;
    if (olderCutoff === null && newerCutoff === null) return true;
    if (image.lastAccessed === null) return false;
    return (olderCutoff === null || image.lastAccessed < olderCutoff) && (newerCutoff === null || image.lastAccessed >= newerCutoff);
  });
}

export interface ImageTotals {
  images: number;
  /** Cached copies over every node: an image cached on three nodes counts three. */
  copies: number;
  /** The bytes those copies hold, as each node reports its own. */
  bytes: number;
}

export function imageTotals(images: readonly MergedImage[]): ImageTotals {
  let copies = 0;
  let bytes = 0;
  for (const image of images) {
    copies += image.cachedOn.length;
    for (const size of image.cachedSizes) bytes += size;
  }
  return { images: images.length, copies, bytes };
}
