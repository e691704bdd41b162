/**
 * Fuzzing what nodes and Keystone send back: the response parsers, the JSON body reader and the error
 * reason extractor take any JSON or text and either return checked data or a RequestFailure whose message
 * is one line naming the field or the problem (the peer's text kept as data: output escapes it); and the pure core (merge, where) takes whatever the
 * parsers let through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestFailure } from '../../../src/http/failure.js';
import { responseOf } from '../../../src/http/client.js';
import { errorReason, expectJson, parseJsonBody } from '../../../src/http/json.js';
import { isImageId, parseImagesPage, parseLegacyCached, parseLegacyQueued, parseNodeCache, parsePruneResult, parseVersions } from '../../../src/glance/parse.js';
import type { ImageInfo, NodeCache, NodeListing } from '../../../src/core/model.js';
import { mergeListings } from '../../../src/core/merge.js';
import { locateImages } from '../../../src/core/where.js';
import { cacheBody, imagesBody, jsonish, peerString, uuid, versionsBody } from './arbitraries.js';

const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** What would split a message over lines on a terminal, before output escapes it. */
const LINE_BREAK = /[\n\r]/;
const FIELD = /^(body|versions(\[\d+\](\.(id|status))?)?|cached_images(\[\d+\](\.(image_id|hits|last_accessed|last_modified|size))?)?|queued_images(\[\d+\])?|images(\[\d+\](\.(id|name|status|size))?)?|next|total_(files|bytes)_pruned) /;

/** The parser's value, or undefined after checking that it failed the documented way. */
function parsedOrFailure<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestFailure);
    const failure = error as RequestFailure;
    expect(failure.kind).toBe('bad-response');
    // Names the field; never quotes the node's value (it may carry escapes).
    expect(failure.message).toMatch(FIELD);
    expect(failure.message).not.toMatch(RAW_CONTROL);
    return undefined;
  }
}

describe('response parsers', () => {
  it('GET /versions', () => {
    fc.assert(
      fc.property(versionsBody, (body) => {
        const api = parsedOrFailure(() => parseVersions(body));
        if (api) expect(api.version).toMatch(/^v2(\.\d+)?$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('GET /v2/cache and the legacy lists: IDs unique and bounded, counts whole, sizes plausible', () => {
    fc.assert(
      fc.property(cacheBody, (body) => {
        for (const cache of [parsedOrFailure(() => parseNodeCache(body)), parsedOrFailure(() => ({ cached: parseLegacyCached(body), queued: parseLegacyQueued(body) }))]) {
          if (!cache) continue;
          const ids = cache.cached.map((image) => image.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(cache.queued).size).toBe(cache.queued.length);
          for (const image of cache.cached) {
            expect(image.id.length).toBeGreaterThan(0);
            expect(image.id.length).toBeLessThanOrEqual(255);
            expect(Number.isSafeInteger(image.hits) && image.hits >= 0).toBe(true);
            expect(Number.isSafeInteger(image.size) && image.size >= 0 && image.size <= 2 ** 50).toBe(true);
            for (const time of [image.lastAccessed, image.lastModified]) if (time !== null) expect(time > 0 && time <= 4_102_444_800).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('GET /v2/images: names and statuses capped', () => {
    fc.assert(
      fc.property(imagesBody, (body) => {
        const page = parsedOrFailure(() => parseImagesPage(body, (text) => text));
        if (!page) return;
        for (const image of page.images) {
          expect(image.name === null || image.name.length <= 255).toBe(true);
          expect(image.status.length).toBeLessThanOrEqual(32);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('POST /v2/cache/prune', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.record({ total_files_pruned: jsonish, total_bytes_pruned: jsonish }, { requiredKeys: [] })), (body) => {
        parsedOrFailure(() => parsePruneResult(body));
      }),
      { numRuns: 1000 },
    );
  });

  it('only UUIDs count as image IDs', () => {
    fc.assert(
      fc.property(fc.oneof(peerString(), uuid.map((id) => `${id}/..`), uuid.map((id) => `../${id}`)), (text) => {
        if (isImageId(text)) expect(text).toMatch(/^[0-9a-f-]{36}$/i);
      }),
    );
  });
});

describe('bodies and reasons', () => {
  it("reads a version list as the server's answer to a wrong path (Glance answers 300, seen on a wrong prefix)", () => {
    const body = JSON.stringify({ versions: [{ id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: 'http://127.0.0.1:29291/v2/' }] }] });
    expect(() => expectJson(responseOf(300, {}, body))).toThrow("HTTP 300: the API's version list, its answer to a path it does not serve: check the URL and its path prefix");
  });

  const text = fc.oneof(peerString(), jsonish.map((value) => JSON.stringify(value)), jsonish.map((value) => JSON.stringify(value).slice(0, -1)), fc.constantFrom('', '   ', '<html><title>x</title>', '{"message": "<br />"}', '\ufeff{}'));

  it('parseJsonBody: JSON, or one line saying what was wrong', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 100, max: 599 }), (body, status) => {
        try {
          parseJsonBody(body, status);
        } catch (error) {
          expect(error).toBeInstanceOf(RequestFailure);
          expect((error as RequestFailure).message).toMatch(/^answered (\d{3} with (an empty body|HTML)|truncated JSON|invalid JSON)/);
          expect((error as RequestFailure).message).not.toMatch(LINE_BREAK);
          expect((error as RequestFailure).message.length).toBeLessThanOrEqual(260);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('errorReason and expectJson on an error status: one line of at most 200 characters', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(400, 401, 403, 404, 409, 413, 500, 502, 503), (body, status) => {
        const reason = errorReason(body);
        expect(reason).not.toMatch(LINE_BREAK);
        expect(reason.length).toBeLessThanOrEqual(200);
        try {
          expectJson(responseOf(status, {}, body));
          expect.unreachable();
        } catch (error) {
          expect(error).toBeInstanceOf(RequestFailure);
          expect((error as RequestFailure).message).toBe(`HTTP ${status}${reason ? `: ${reason}` : ''}`);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the pure core over whatever the parsers let through', () => {
  const names = ['glance01', 'glance02', 'glance10', 'glance2'];
  const nodeCaches = fc.array(cacheBody.map((body) => parsedOrFailure(() => parseNodeCache(body)) ?? null), { minLength: names.length, maxLength: names.length });
  const info = fc.array(fc.record({ id: uuid, name: fc.oneof(fc.constant(null), peerString()), status: fc.constantFrom('active', 'deleted'), size: fc.oneof(fc.constant(null), fc.nat()) }), { maxLength: 5 });

  function listingsOf(caches: (NodeCache | null)[]): NodeListing[] {
    return caches.map((cache, index) => ({
      name: names[index]!,
      url: `http://${names[index]!}:9292`,
      ok: cache !== null,
      error: cache ? null : 'bad',
      errorKind: cache ? null : 'bad-response',
      api: null,
      cache,
      latencyMs: null,
      maxSizeBytes: null,
    }));
  }

  it('merge: one row per image, nodes listed once each, only nodes that answered, same result in any order', () => {
    fc.assert(
      fc.property(nodeCaches, info, (caches, infos) => {
        const listings = listingsOf(caches);
        const images = new Map<string, ImageInfo>(infos.map((image) => [image.id, image]));
        const merged = mergeListings(listings, images);
        expect(new Set(merged.map((image) => image.id)).size).toBe(merged.length);
        const answered = new Set(listings.filter((listing) => listing.ok).map((listing) => listing.name));
        for (const image of merged) {
          expect(new Set(image.cachedOn).size).toBe(image.cachedOn.length);
          expect(image.cachedOn.every((node) => answered.has(node))).toBe(true);
          expect(image.queuedOn.every((node) => answered.has(node))).toBe(true);
          expect(image.cachedSizes).toHaveLength(image.cachedOn.length);
        }
        const total = caches.reduce((sum, cache) => sum + (cache ? new Set([...cache.cached.map((image) => image.id), ...cache.queued]).size : 0), 0);
        expect(merged.reduce((sum, image) => sum + new Set([...image.cachedOn, ...image.queuedOn]).size, 0)).toBe(total);
        expect(mergeListings([...listings].reverse(), images)).toEqual(merged);
      }),
      { numRuns: 1000 },
    );
  });

  it('where: one location per image and node, unknown exactly for the nodes that failed', () => {
    fc.assert(
      fc.property(nodeCaches, fc.array(fc.oneof(uuid, peerString()), { maxLength: 4 }), (caches, ids) => {
        const listings = listingsOf(caches);
        const locations = locateImages(ids, listings);
        expect(locations).toHaveLength(ids.length * listings.length);
        for (const location of locations) {
          const listing = listings.find((each) => each.name === location.node)!;
          expect(location.state === 'unknown').toBe(!listing.ok);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
