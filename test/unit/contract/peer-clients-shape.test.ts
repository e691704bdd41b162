import { describe, expect, it } from 'vitest';
import { bodyShape, differences, jsonShape, pathTemplate, type RecordedCall } from '../../contract/peer-clients/shape.js';

describe('jsonShape', () => {
  it('keeps the keys, sorted, and replaces every value by its type', () => {
    expect(jsonShape({ size: 4096, image_id: 'abc', checksum: null, ok: true })).toEqual({ checksum: 'null', image_id: 'string', ok: 'boolean', size: 'number' });
  });

  it('reduces an array to the distinct shapes of its items, so counts do not matter', () => {
    expect(jsonShape({ queued_images: ['a', 'b', 'c'] })).toEqual({ queued_images: ['string'] });
    expect(jsonShape([{ id: 1 }, { id: 2 }, { id: 'x' }])).toEqual([{ id: 'number' }, { id: 'string' }]);
    expect(jsonShape({ cached_images: [] })).toEqual({ cached_images: [] });
  });
});

describe('bodyShape', () => {
  it('tells an empty body, an HTML body, JSON and other text apart', () => {
    expect(bodyShape('text/html; charset=UTF-8', '')).toBe('empty');
    expect(bodyShape('text/html; charset=UTF-8', '<html><body>404 Not Found</body></html>')).toBe('html');
    expect(bodyShape('application/json', '{"num_deleted": 2}')).toEqual({ num_deleted: 'number' });
    expect(bodyShape('text/plain; charset=UTF-8', 'OK')).toBe('text');
  });
});

describe('pathTemplate', () => {
  const id = '2c04cbe5-d1a1-44a5-b935-af826742a735';

  it('puts the known values back as their placeholders, encoded or not, and any other UUID as {uuid}', () => {
    const placeholders = { [id]: '{image}', 'alpine 3.20': '{name}' };
    expect(pathTemplate(`/v2/cache/${id}`, placeholders)).toBe('/v2/cache/{image}');
    expect(pathTemplate('/v2/images?name=alpine%203.20&limit=200', placeholders)).toBe('/v2/images?name={name}&limit=200');
    expect(pathTemplate('/v2/images?name=alpine+3.20', placeholders)).toBe('/v2/images?name={name}');
    expect(pathTemplate('/v2/cached_images/7e57c0de-0000-4000-8000-000000000404', placeholders)).toBe('/v2/cached_images/{uuid}');
  });
});

describe('differences', () => {
  const call = (status: number, outcome = 'ok'): RecordedCall => ({
    call: 'glanceclient cache.list',
    outcome,
    requests: [{ method: 'GET', path: '/v2/cache', status, type: 'application/json', shape: { cached_images: [] } }],
  });

  it('finds none between equal recordings', () => {
    expect(differences([call(200)], [call(200)], ['real', 'sim'])).toEqual([]);
  });

  it('names the call, the request and both sides of each difference', () => {
    expect(differences([call(200)], [call(404, 'raised HTTPNotFound')], ['real', 'sim'])).toEqual([
      '1. glanceclient cache.list: real ok, sim raised HTTPNotFound',
      '1. glanceclient cache.list, request 1: real GET /v2/cache -> 200 application/json {"cached_images":[]}, sim GET /v2/cache -> 404 application/json {"cached_images":[]}',
    ]);
  });

  it('counts a request or a call that only one side made', () => {
    const extra = call(200);
    extra.requests.push({ method: 'GET', path: '/v2/schemas/image', status: 404, type: '', shape: 'empty' });
    expect(differences([call(200)], [extra], ['real', 'sim'])).toEqual([
      '1. glanceclient cache.list, request 2: real (no request), sim GET /v2/schemas/image -> 404 (no content type) "empty"',
    ]);
    expect(differences([call(200)], [], ['real', 'sim'])).toEqual(['1. glanceclient cache.list: the call is glanceclient cache.list in real, absent in sim']);
  });
});
