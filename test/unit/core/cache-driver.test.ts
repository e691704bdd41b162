import { describe, expect, it } from 'vitest';
import { revealedCacheDriver } from '../../../src/core/cache-driver.js';
import { cachedImage } from './listings.js';

const ID = '11111111-1111-4111-8111-111111111111';

describe('revealedCacheDriver', () => {
  it('is centralized_db when an entry carries its row id', () => {
    expect(revealedCacheDriver({ cached: [cachedImage(ID, { rowId: 3, checksum: 'c' })], queued: [] })).toBe('centralized_db');
  });

  it('says nothing for entries without a row id, an empty or queue-only cache, or a node that did not answer', () => {
    expect(revealedCacheDriver({ cached: [cachedImage(ID)], queued: [] })).toBeNull();
    expect(revealedCacheDriver({ cached: [], queued: [ID] })).toBeNull();
    expect(revealedCacheDriver(null)).toBeNull();
  });
});
