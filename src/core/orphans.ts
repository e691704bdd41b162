/**
 * Orphans: images a node still caches although Glance no longer serves them (deleted, not visible to
 * us, deactivated, killed...). Nothing will ever read them through Glance again; they only take space
 * until a pruner evicts them. Pure: needs the images API's answer for every image (mergeListings'
 * status), so callers must not use it when that lookup failed, or every image would look orphaned.
 */
import { sizeByNode, type MergedImage } from './merge.js';
import { naturalCompare } from './natural.js';

export interface Orphan {
  id: string;
  name: string | null;
  /** Glance's status; null when Glance shows no such image (deleted, or not visible to this user). */
  status: string | null;
  cachedOn: string[];
  /** Node name to the bytes its copy takes. */
  bytesByNode: Record<string, number>;
  bytes: number;
}

export interface OrphanReport {
  /** Heaviest first. */
  orphans: Orphan[];
  /** Node name to the bytes orphans take there; only nodes that hold some. */
  wastedByNode: Record<string, number>;
  wastedBytes: number;
}

/** Glance serves an image only while it knows it and it is active. */
export function isServed(status: string | null | undefined): boolean {
  return status === 'active';
}

export function isOrphan(image: MergedImage): boolean {
  return image.cachedOn.length > 0 && !isServed(image.status);
}

export function findOrphans(images: readonly MergedImage[]): OrphanReport {
  const orphans = images.filter(isOrphan).map((image): Orphan => {
    const bytes = image.cachedSizes.reduce((total, size) => total + size, 0);
    return { id: image.id, name: image.name, status: image.status, cachedOn: image.cachedOn, bytesByNode: sizeByNode(image), bytes };
  });
  orphans.sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const wasted = new Map<string, number>();
  for (const image of images.filter(isOrphan)) {
    image.cachedOn.forEach((node, index) => wasted.set(node, (wasted.get(node) ?? 0) + image.cachedSizes[index]!));
  }
  const wastedByNode = Object.fromEntries([...wasted].sort(([a], [b]) => naturalCompare(a, b)));
  return { orphans, wastedByNode, wastedBytes: orphans.reduce((total, orphan) => total + orphan.bytes, 0) };
}
