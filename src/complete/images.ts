/**
 * Image IDs and names for TAB after where/queue/purge: written by `ls` after it listed the fleet, read by
 * completion. TAB never asks the network; an image appears after the first `ls` that sees it.
 */
import type { CommandContext } from '../cli/context.js';
import type { ListingRun } from '../cli/listing-run.js';
import { cacheDir, cacheFile, readCache, writeCache } from './cache-files.js';
import type { KnownImage } from './candidates.js';
import { rememberSeen, stillRemembered } from './remembered.js';

interface ImagesFile {
  inventory: string;
  images: unknown;
}

/** Called by `ls` with the images it shows; a cache that cannot be written never fails the listing. */
export async function rememberImages(context: CommandContext, run: ListingRun<unknown>, images: readonly KnownImage[]): Promise<void> {
  if (run.answered === 0) return;
  const inventory = run.fleet.inventoryPath;
  const file = cacheFile(cacheDir(context.env, context.home), 'images', inventory);
  try {
    const now = context.now();
    const previous = stillRemembered(((await readCache(file)) as Partial<ImagesFile> | undefined)?.images, now);
    // IDs and names are the nodes' to choose, and a node may echo the token it was sent in one.
    const seen = context.scrubber.scrubValue(images.map((image) => ({ id: image.id, name: image.name }))) as KnownImage[];
    const record: ImagesFile = { inventory, images: rememberSeen(previous, seen, now) };
    await writeCache(file, record);
  } catch (error) {
    context.log.debug(`completion cache not written: ${file}: ${(error as Error).message}`);
  }
}

export async function recentImages(dir: string, inventoryPath: string, now: number): Promise<KnownImage[]> {
  const cached = (await readCache(cacheFile(dir, 'images', inventoryPath))) as Partial<ImagesFile> | undefined;
  return cached?.inventory === inventoryPath ? stillRemembered(cached.images, now) : [];
}
