/**
 * Image arguments to IDs: a UUID is taken as given (it may be an orphan Glance no longer knows);
 * anything else is a name, looked up through the images API, and must match exactly one image of exactly
 * that name (findImagesByName compares the names itself: the server's filter is not trusted).
 */
import { plural } from '../core/plan.js';
import { ExitCode, GlanceCacheError, UsageError } from '../errors.js';
import { RequestFailure } from '../http/failure.js';
import { findImagesByName } from '../glance/images-client.js';
import { isImageId } from '../glance/parse.js';
import type { ImageInfo } from '../core/model.js';
import type { Fleet } from './fleet.js';

export interface ResolvedImage {
  argument: string;
  id: string;
  info: ImageInfo | null;
}

export async function resolveImageArguments(fleet: Fleet, argumentsGiven: readonly string[], signal: AbortSignal): Promise<ResolvedImage[]> {
  // The catalog, one of the places imagesBase() looks, comes with the token: make sure it is there.
  if (argumentsGiven.some((argument) => !isImageId(argument))) await fleet.session.token(signal);
  const base = fleet.imagesBase();
  return Promise.all(
    argumentsGiven.map(async (argument): Promise<ResolvedImage> => {
      if (isImageId(argument)) return { argument, id: argument.toLowerCase(), info: null };
      const { exact, ignored } = await findImagesByName(base, argument, fleet.imagesDeps(base), signal).catch((error: unknown) => {
        // Without the images API no name can be resolved: the whole run fails, as when every node does.
        if (error instanceof RequestFailure) throw new GlanceCacheError(`cannot resolve image name '${argument}': images API ${base}: ${error.message}`, ExitCode.failed);
        throw error;
      });
      if (exact.length === 1) return { argument, id: exact[0]!.id, info: exact[0]! };
      if (exact.length === 0) {
        const answered = ignored === 0 ? '' : `: the images API answered with ${plural(ignored, 'other image')}, ignored`;
        throw new UsageError(`no image named '${argument}' in Glance (${base})${answered}; give an image ID for images Glance no longer knows`);
      }
      const candidates = exact.map((image) => `${image.id} (${image.status})`).join(', ');
      throw new UsageError(`image name '${argument}' is ambiguous: ${candidates}; give an ID`);
    }),
  );
}
