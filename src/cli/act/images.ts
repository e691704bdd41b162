/**
 * Image arguments of acting commands: names resolved to IDs (an ambiguous name is a usage error listing
 * the candidates), and, when asked, what Glance says of the images given by ID. Only IDs in UUID form come
 * out of here, so no argument can ever reach a URL path of its own making.
 */
import { ExitCode, GlanceCacheError } from '../../errors.js';
import type { Fleet } from '../../fleet/fleet.js';
import { resolveImageArguments, type ResolvedImage } from '../../fleet/resolve-images.js';
import { lookupImages } from '../../glance/images-client.js';
import type { ImageInfo } from '../../core/model.js';
import { isRequestFailure } from '../../http/failure.js';

export async function resolveActImages(fleet: Fleet, given: readonly string[], signal: AbortSignal, options: { describeIds: boolean }): Promise<ResolvedImage[]> {
  try {
    const resolved = await resolveImageArguments(fleet, given, signal);
    const undescribed = resolved.filter((image) => image.info === null).map((image) => image.id);
    if (!options.describeIds || undescribed.length === 0) return resolved;
    const base = fleet.imagesBaseFor(fleet.nodes[0]!);
    const found = await lookupImages(base, undescribed, fleet.imagesDeps(base), signal);
    return resolved.map((image) => (image.info === null ? { ...image, info: found.get(image.id) ?? null } : image));
  } catch (error) {
    // Without the images API no name can be resolved and no status checked: nothing can be planned.
    if (isRequestFailure(error)) throw new GlanceCacheError(`images API (${fleet.imagesBaseFor(fleet.nodes[0]!)}): ${error.message}`, ExitCode.failed);
    throw error;
  }
}

/** Glance's view of every image a plan may name: what the listing looked up, plus the arguments' own. */
export function glanceView(listed: ReadonlyMap<string, ImageInfo>, resolved: readonly ResolvedImage[]): Map<string, ImageInfo> {
  const view = new Map(listed);
  for (const image of resolved) if (image.info) view.set(image.id, image.info);
  return view;
}
