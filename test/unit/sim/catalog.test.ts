import { describe, it, expect } from 'vitest';
import { SimCatalog } from '../../../src/sim/catalog.js';

function catalogOf(count: number): SimCatalog {
  const catalog = new SimCatalog({ seed: 7, now: () => 1_700_000_000_000 });
  for (let n = 1; n <= count; n++) catalog.add({ name: n % 2 ? 'odd' : `even-${n}` });
  return catalog;
}

describe('SimCatalog', () => {
  it('generates the same UUIDs for the same seed', () => {
    const ids = (seed: number) => {
      const catalog = new SimCatalog({ seed });
      return [catalog.add().id, catalog.add().id];
    };
    expect(ids(3)).toEqual(ids(3));
    expect(ids(3)).not.toEqual(ids(4));
    expect(ids(3)[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lists newest first and pages with a marker', () => {
    const catalog = catalogOf(5);
    const all = catalog.visible();
    const first = catalog.list({ limit: 2 });
    if ('badMarker' in first) throw new Error('unexpected');
    expect(first.images).toEqual(all.slice(0, 2));
    expect(first.full).toBe(true);
    const last = catalog.list({ limit: 3, marker: all[1]!.id });
    if ('badMarker' in last) throw new Error('unexpected');
    expect(last.images).toEqual(all.slice(2));
    expect(last.full).toBe(true);
    expect(catalog.list({ limit: 3, marker: 'nope' })).toEqual({ badMarker: true });
  });

  it('filters by IDs and names and hides deleted images', () => {
    const catalog = catalogOf(4);
    const [a, b, c] = catalog.visible();
    catalog.delete(b!.id);
    const page = catalog.list({ ids: [a!.id, b!.id, c!.id, 'unknown'], limit: 10 });
    if ('badMarker' in page) throw new Error('unexpected');
    expect(page.images.map((image) => image.id)).toEqual([a!.id, c!.id]);
    expect(page.full).toBe(false);
    // Two images are named "odd"; the deleted one (b) is not listed.
    const odd = catalog.list({ names: ['odd'], limit: 10 });
    if ('badMarker' in odd) throw new Error('unexpected');
    expect(odd.images.map((image) => image.id)).toEqual([catalog.visible().find((image) => image.name === 'odd')!.id]);
    expect(b!.name).toBe('odd');
    expect(catalog.find(b!.id)).toBeUndefined();
    expect(catalog.record(b!.id)?.status).toBe('deleted');
  });

  it('renders an image as the images API does, again after a change', () => {
    const catalog = new SimCatalog({ now: () => Date.UTC(2024, 0, 2, 3, 4, 5) });
    const image = catalog.add({ name: 'cirros', size: 21430272 });
    expect(JSON.parse(catalog.json(image))).toMatchObject({ id: image.id, name: 'cirros', status: 'active', size: 21430272, created_at: '2024-01-02T03:04:05Z', self: `/v2/images/${image.id}` });
    catalog.update(image.id, { name: 'cirros-renamed' });
    expect(JSON.parse(catalog.json(image)).name).toBe('cirros-renamed');
  });
});
