import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isImageId, parseImagesPage, parseLegacyCached, parseLegacyQueued, parseNodeCache, parsePruneResult, parseVersions } from '../../../src/glance/parse.js';
import { RequestFailure } from '../../../src/http/failure.js';
import { SecretScrubber } from '../../../src/http/redact.js';
import { IDS, ZED_VERSIONS, noSecrets } from './support.js';

function failure(run: () => unknown): RequestFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestFailure) return error;
    throw error;
  }
  throw new Error('expected a RequestFailure');
}

const entry = (overrides: Record<string, unknown> = {}) => ({ image_id: IDS.a, hits: 2, last_accessed: 1700000100.25, last_modified: 1700000000.5, size: 13_267_968, ...overrides });

describe('isImageId', () => {
  it('accepts UUIDs in either case', () => {
    expect(isImageId(IDS.a)).toBe(true);
    expect(isImageId(IDS.a.toUpperCase())).toBe(true);
  });

  it('rejects anything that could change a URL path or carry escapes', () => {
    for (const text of ['', '../v2/images', `${IDS.a}\n`, `${IDS.a}/file`, `${IDS.a}?x=1`, '\u001b[31mred', IDS.a.replace(/-/g, ''), `x${IDS.a}`]) {
      expect(isImageId(text), JSON.stringify(text)).toBe(false);
    }
  });
});

describe('parseVersions', () => {
  it('reads a Zed node as the /v2/cache flavor without server-side prune', () => {
    expect(parseVersions(ZED_VERSIONS)).toEqual({ flavor: 'cache', version: 'v2.16', serverSidePrune: false });
  });

  it('sees server-side prune when v2.18 is listed', () => {
    const body = { versions: [{ id: 'v2.18', status: 'CURRENT' }, { id: 'v2.17', status: 'SUPPORTED' }, ...ZED_VERSIONS.versions.slice(1)] };
    expect(parseVersions(body)).toEqual({ flavor: 'cache', version: 'v2.18', serverSidePrune: true });
  });

  it('falls back to legacy when v2.14 is absent, even if a higher version is listed', () => {
    const noCacheDir = { versions: [{ id: 'v2.15', status: 'CURRENT' }, { id: 'v2.13', status: 'SUPPORTED' }] };
    expect(parseVersions(noCacheDir)).toEqual({ flavor: 'legacy', version: 'v2.15', serverSidePrune: false });
  });

  it('orders versions numerically (v2.10 above v2.9) and prefers CURRENT/SUPPORTED', () => {
    const body = { versions: [{ id: 'v2.9', status: 'SUPPORTED' }, { id: 'v2.10', status: 'CURRENT' }, { id: 'v2.12', status: 'DEPRECATED' }, { id: 'v1.1', status: 'CURRENT' }] };
    expect(parseVersions(body).version).toBe('v2.10');
  });

  it('says when the answer is not a Glance version list', () => {
    expect(failure(() => parseVersions({ versions: { values: [] } })).message).toBe('versions is not a list (got an object)');
    expect(failure(() => parseVersions({ versions: [{ id: 'v3.0', status: 'CURRENT' }] })).message).toBe('versions lists no v2 API: not a Glance node?');
    expect(failure(() => parseVersions({ versions: [{ id: 2, status: 'CURRENT' }] })).message).toBe('versions[0].id is not a string (got a number)');
    expect(failure(() => parseVersions([])).kind).toBe('bad-response');
  });
});

describe('parseNodeCache', () => {
  it('keeps float and int epoch seconds and reads last_accessed 0 as never', () => {
    const body = {
      cached_images: [entry(), entry({ image_id: IDS.b, last_accessed: 0, last_modified: 1700000000, hits: 0 })],
      queued_images: [IDS.c],
    };
    expect(parseNodeCache(body)).toEqual({
      cached: [
        { id: IDS.a, hits: 2, lastAccessed: 1700000100.25, lastModified: 1700000000.5, size: 13_267_968 },
        { id: IDS.b, hits: 0, lastAccessed: null, lastModified: 1700000000, size: 13_267_968 },
      ],
      queued: [IDS.c],
    });
  });

  it('names the field that has the wrong type', () => {
    const body = { cached_images: [entry(), entry({ image_id: IDS.b }), entry({ image_id: IDS.c }), entry({ size: '12' })], queued_images: [] };
    const error = failure(() => parseNodeCache(body));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe('cached_images[3].size is not a number (got a string)');
  });

  it('rejects negative or absurd sizes and times', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ size: -1 }, 'cached_images[0].size is negative'],
      [{ size: 2 ** 51 }, 'cached_images[0].size is not a plausible image size'],
      [{ size: 1.5 }, 'cached_images[0].size is not a whole number'],
      [{ hits: -3 }, 'cached_images[0].hits is negative'],
      [{ last_accessed: -5 }, 'cached_images[0].last_accessed is negative'],
      [{ last_modified: 1700000000000 }, 'cached_images[0].last_modified is not a plausible time in epoch seconds'],
      [{ last_modified: null }, 'cached_images[0].last_modified is not a number (got null)'],
      [{ image_id: '' }, 'cached_images[0].image_id is empty'],
      [{ image_id: 'x'.repeat(256) }, 'cached_images[0].image_id is longer than 255 characters'],
    ];
    for (const [overrides, message] of cases) {
      expect(failure(() => parseNodeCache({ cached_images: [entry(overrides)], queued_images: [] })).message).toBe(message);
    }
  });

  it('accepts an entry exactly when every field is in range, whatever mix of values a node sends', () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom(0, 1.5, -0.5, 2 ** 50, 2 ** 50 + 1, 2 ** 53, 4_102_444_800, 4_102_444_801, Number.MAX_VALUE, '', '12', null, true, [], {}),
      fc.string({ maxLength: 3 }),
    );
    const id = fc.oneof(fc.constant(IDS.a), fc.constantFrom('', 'x'.repeat(255), 'x'.repeat(256)), value);
    fc.assert(
      fc.property(id, value, value, value, value, (image_id, hits, last_accessed, last_modified, size) => {
        const count = (v: unknown) => typeof v === 'number' && v >= 0 && Number.isSafeInteger(v);
        const epoch = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 4_102_444_800;
        const valid = typeof image_id === 'string' && image_id !== '' && image_id.length <= 255 && count(hits) && count(size) && (size as number) <= 2 ** 50 && epoch(last_accessed) && epoch(last_modified);
        const body = { cached_images: [{ image_id, hits, last_accessed, last_modified, size }], queued_images: [] };
        if (valid) {
          expect(parseNodeCache(body).cached).toEqual([
            { id: image_id, hits, lastAccessed: last_accessed === 0 ? null : last_accessed, lastModified: last_modified === 0 ? null : last_modified, size },
          ]);
        } else {
          expect(failure(() => parseNodeCache(body)).message).toMatch(/^cached_images\[0\]\.(image_id|hits|last_accessed|last_modified|size) /);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the row id and checksum of a centralized_db entry (Glance 2024.1+), and adds neither to a Zed entry', () => {
    const epoxy = entry({ id: 7, checksum: '939c1f89a646ec04085af35a81cd083a', last_accessed: 1700000000.499996 });
    const cache = parseNodeCache({ cached_images: [epoxy, entry({ image_id: IDS.b })], queued_images: [] });
    expect(cache.cached[0]).toStrictEqual({ id: IDS.a, hits: 2, lastAccessed: 1700000000.499996, lastModified: 1700000000.5, size: 13_267_968, rowId: 7, checksum: '939c1f89a646ec04085af35a81cd083a' });
    expect(cache.cached[1]).toStrictEqual({ id: IDS.b, hits: 2, lastAccessed: 1700000100.25, lastModified: 1700000000.5, size: 13_267_968 });
  });

  it('reads a null row id or checksum as absent, and names a bad one', () => {
    const cached = (overrides: Record<string, unknown>) => parseNodeCache({ cached_images: [entry(overrides)], queued_images: [] }).cached[0];
    expect(cached({ id: null, checksum: null })).toStrictEqual(cached({}));
    expect(cached({ id: 0 })!.rowId).toBe(0);
    const cases: [Record<string, unknown>, string][] = [
      [{ id: '7' }, 'cached_images[0].id is not a number (got a string)'],
      [{ id: -1 }, 'cached_images[0].id is negative'],
      [{ id: 1.5 }, 'cached_images[0].id is not a whole number'],
      [{ checksum: 5 }, 'cached_images[0].checksum is not a string (got a number)'],
      [{ checksum: 'f'.repeat(129) }, 'cached_images[0].checksum is longer than 128 characters'],
    ];
    for (const [overrides, message] of cases) {
      expect(failure(() => parseNodeCache({ cached_images: [entry(overrides)], queued_images: [] })).message).toBe(message);
    }
  });

  it('accepts a row id and checksum exactly when they are in range, with the same result on every path', () => {
    const value = fc.oneof(fc.constantFrom(undefined, null, 0, 7, -1, 1.5, 2 ** 53, '', '7', 'f'.repeat(128), 'f'.repeat(129), true, [], {}), fc.string({ maxLength: 3 }), fc.nat());
    fc.assert(
      fc.property(value, value, fc.boolean(), (id, checksum, slowPath) => {
        const rowValid = id === undefined || id === null || (typeof id === 'number' && id >= 0 && Number.isSafeInteger(id));
        const checksumValid = checksum === undefined || checksum === null || (typeof checksum === 'string' && checksum.length <= 128);
        // A bad size sends the entry down the field-by-field path; its other fields must read the same.
        const body = { cached_images: [{ ...entry(slowPath ? { size: '1' } : {}), ...(id === undefined ? {} : { id }), ...(checksum === undefined ? {} : { checksum }) }], queued_images: [] };
        if (slowPath) {
          expect(failure(() => parseNodeCache(body)).message).toMatch(rowValid && checksumValid ? /\.size / : /\.(size|id|checksum) /);
          return;
        }
        if (!rowValid || !checksumValid) {
          expect(failure(() => parseNodeCache(body)).message).toMatch(/^cached_images\[0\]\.(id|checksum) /);
          return;
        }
        const image = parseNodeCache(body).cached[0]!;
        expect(image.rowId).toBe(typeof id === 'number' ? id : undefined);
        expect(image.checksum).toBe(typeof checksum === 'string' ? checksum : undefined);
        expect(Object.keys(image).filter((key) => key === 'rowId' || key === 'checksum')).toEqual([...(typeof id === 'number' ? ['rowId'] : []), ...(typeof checksum === 'string' ? ['checksum'] : [])]);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a body with a missing or wrong list', () => {
    expect(failure(() => parseNodeCache({ cached_images: [] })).message).toBe('queued_images is not a list (got nothing)');
    expect(failure(() => parseNodeCache({ cached_images: [], queued_images: [7] })).message).toBe('queued_images[0] is not a string (got a number)');
    expect(failure(() => parseNodeCache('{}')).message).toBe('body is not an object (got a string)');
  });

  it('keeps the first of duplicated IDs', () => {
    const body = { cached_images: [entry({ hits: 1 }), entry({ hits: 9 })], queued_images: [IDS.b, IDS.b] };
    const cache = parseNodeCache(body);
    expect(cache.cached.map((image) => image.hits)).toEqual([1]);
    expect(cache.queued).toEqual([IDS.b]);
  });

  it('keeps IDs that are not UUIDs as data, escapes and all', () => {
    const evil = '\u001b]0;pwned\u0007../../x';
    const cache = parseNodeCache({ cached_images: [entry({ image_id: evil })], queued_images: [evil] });
    expect(cache.cached[0]!.id).toBe(evil);
    expect(cache.queued).toEqual([evil]);
  });

  it('does not read inherited properties such as __proto__', () => {
    const body = JSON.parse('{"__proto__": {"cached_images": [], "queued_images": []}}') as unknown;
    expect(failure(() => parseNodeCache(body)).message).toBe('cached_images is not a list (got nothing)');
  });

  it('fails only with RequestFailure, whatever JSON arrives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseNodeCache(value);
        } catch (error) {
          expect(error).toBeInstanceOf(RequestFailure);
        }
      }),
    );
  });
});

describe('legacy lists', () => {
  it('reads each list from its own body', () => {
    expect(parseLegacyCached({ cached_images: [entry()] })).toHaveLength(1);
    expect(parseLegacyQueued({ queued_images: [IDS.a, IDS.b] })).toEqual([IDS.a, IDS.b]);
    expect(failure(() => parseLegacyQueued({ cached_images: [] })).message).toBe('queued_images is not a list (got nothing)');
  });
});

describe('parseImagesPage', () => {
  it('reads images and the next link, with null names and sizes', () => {
    const body = {
      images: [
        { id: IDS.a, name: 'cirros', status: 'active', size: 21430272, visibility: 'public' },
        { id: IDS.b, name: null, status: 'queued', size: null },
      ],
      next: `/v2/images?marker=${IDS.b}&limit=2`,
      schema: '/v2/schemas/images',
    };
    expect(parseImagesPage(body, noSecrets)).toEqual({
      images: [
        { id: IDS.a, name: 'cirros', status: 'active', size: 21430272 },
        { id: IDS.b, name: null, status: 'queued', size: null },
      ],
      next: `/v2/images?marker=${IDS.b}&limit=2`,
    });
  });

  it('caps overlong names and statuses', () => {
    const page = parseImagesPage({ images: [{ id: IDS.a, name: 'n'.repeat(5000), status: 's'.repeat(100), size: 1 }] }, noSecrets);
    expect(page.images[0]!.name).toHaveLength(255);
    expect(page.images[0]!.status).toHaveLength(32);
    expect(page.next).toBeNull();
  });

  it('scrubs a token echoed across the cut before cutting, so no head of it is left for the scrubber to miss', () => {
    const token = 'gAAAAA-echoed-token-0123456789abcdef';
    const scrubber = new SecretScrubber();
    scrubber.add(token);
    const scrub = (text: string) => scrubber.scrub(text);
    // The cut falls 14 characters into the token, 24 into it for the status.
    const page = parseImagesPage({ images: [{ id: IDS.a, name: `${'n'.repeat(240)}${token}${'n'.repeat(5000)}`, status: `${'s'.repeat(7)}${token}`, size: 1 }] }, scrub);
    const { name, status } = page.images[0]!;
    expect(name).toBe(`${'n'.repeat(240)}<redacted>${'n'.repeat(4)}…`);
    expect(status).toBe(`sssssss<redacted>`);
    expect(scrub(`${name} ${status}`)).not.toContain(token.slice(0, 8));
    // Text that needs no cut is kept raw: every output scrubs it whole later.
    expect(parseImagesPage({ images: [{ id: IDS.a, name: `golden-${token}`, status: 'active' }] }, scrub).images[0]!.name).toBe(`golden-${token}`);
  });

  it('names the broken field', () => {
    expect(failure(() => parseImagesPage({ images: [{ id: IDS.a, name: 'x', status: 1 }] }, noSecrets)).message).toBe('images[0].status is not a string (got a number)');
  });
});

describe('parsePruneResult', () => {
  it('reads the totals', () => {
    expect(parsePruneResult({ total_files_pruned: 3, total_bytes_pruned: 1024 })).toEqual({ filesPruned: 3, bytesPruned: 1024 });
    expect(failure(() => parsePruneResult({ total_files_pruned: 3 })).message).toBe('total_bytes_pruned is not a number (got nothing)');
  });
});
