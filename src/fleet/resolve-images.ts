/**
 * Image arguments to IDs: a UUID is taken as given (it may be an orphan Glance no longer knows);
 * anything else is a name, looked up through the images API, and must match exactly one image of exactly
 * that name (findImagesByName compares the names itself: the server's filter is not trusted). A name that
 * matches nothing is a usage error naming the closest names the catalog has. Where globs are allowed
 * (commands that only read), a glob stands for every image whose name it matches.
 */
import { plural } from '../core/plan.js';
import { globMatcher, isGlob } from '../core/name-match.js';
import { naturalCompare } from '../core/natural.js';
import { closestNamesText } from '../output/plan-name.js';
import { ExitCode, GlanceCacheError, UsageError } from '../errors.js';
import { RequestFailure } from '../http/failure.js';
import { findImagesByName, listCatalog } from '../glance/images-client.js';
import { isImageId } from '../glance/parse.js';
import type { ImageInfo } from '../core/model.js';
import type { Fleet } from './fleet.js';

export interface ResolvedImage {
  argument: string;
  id: string;
  info: ImageInfo | null;
}

export interface ResolveOptions {
  /** Arguments with *, ? or [...] are globs over the catalog's names; off for commands that change caches. */
  globs: boolean;
}

/** Each argument's images, in the order given; a glob's in natural order of name. */
export async function resolveImageArguments(fleet: Fleet, argumentsGiven: readonly string[], signal: AbortSignal, options: ResolveOptions = { globs: false }): Promise<ResolvedImage[]> {
  // The catalog, one of the places imagesBase() looks, comes with the token: make sure it is there.
  if (argumentsGiven.some((argument) => !isImageId(argument))) await fleet.session.token(signal);
  const base = fleet.imagesBase();
  const failed = (argument: string) => (error: unknown) => {
    // Without the images API no name can be resolved: the whole run fails, as when every node does.
    if (error instanceof RequestFailure) throw new GlanceCacheError(`cannot resolve image name '${argument}': images API ${base}: ${error.message}`, ExitCode.failed);
    throw error;
  };
  // Asked once however many arguments need it.
  let catalog: Promise<ImageInfo[]> | undefined;
  const listed = () => (catalog ??= listCatalog(base, fleet.imagesDeps(base), signal));
  const resolved = await Promise.all(
    argumentsGiven.map(async (argument): Promise<ResolvedImage[]> => {
      if (isImageId(argument)) return [{ argument, id: argument.toLowerCase(), info: null }];
      if (options.globs && isGlob(argument)) {
        const matcher = globOf(argument);
        const images = await listed().catch(failed(argument));
        const matches = images.filter((image) => image.name !== null && matcher(image.name));
        if (matches.length === 0) throw new UsageError(`no image name matches '${argument}' in Glance (${base})${closestNamesText(argument, namesOf(images))}`);
        return matches.sort((a, b) => naturalCompare(a.name!, b.name!) || naturalCompare(a.id, b.id)).map((image) => ({ argument, id: image.id, info: image }));
      }
      const { exact, ignored } = await findImagesByName(base, argument, fleet.imagesDeps(base), signal).catch(failed(argument));
      if (exact.length === 1) return [{ argument, id: exact[0]!.id, info: exact[0]! }];
      if (exact.length === 0) {
        const answered = ignored === 0 ? '' : `: the images API answered with ${plural(ignored, 'other image')}, ignored`;
        // Only for the message: a catalog that cannot be listed leaves the error without suggestions.
        const closest = closestNamesText(argument, namesOf(await listed().catch(() => [])));
        throw new UsageError(`no image named '${argument}' in Glance (${base})${answered}${closest}; give an image ID for images Glance no longer knows`);
      }
      const candidates = exact.map((image) => `${image.id} (${image.status})`).join(', ');
      throw new UsageError(`image name '${argument}' is ambiguous: ${candidates}; give an ID`);
    }),
  );
  return resolved.flat();
}

function globOf(argument: string): (name: string) => boolean {
  try {
    return globMatcher(argument);
  } catch (error) {
    throw new UsageError(`image glob ${(error as Error).message}`);
  }
}

function namesOf(images: readonly ImageInfo[]): string[] {
  return images.flatMap((image) => (image.name === null ? [] : [image.name]));
}
