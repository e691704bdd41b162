/**
 * Inputs for the fuzz tests: text and JSON a broken or hostile peer, or a careless hand, might produce,
 * weighted towards the shapes the parsers actually look for.
 */
import fc from 'fast-check';
import { peerString } from '../output/arbitraries.js';

export { peerString };

export const uuid = fc.uuid({ version: 4 });

/** Numbers at the edges parsers check: negative, fractional, huge, non-finite as JSON can't hold them. */
export const edgyNumber = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0, -0.5, 1.5, 2 ** 50, 2 ** 50 + 1, 2 ** 53, 2 ** 60, 4_102_444_800, 4_102_444_801, 1e15, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, with the edgy numbers and hostile strings mixed in. */
export const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    edgyNumber,
    peerString(),
    uuid,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(peerString(), fc.constantFrom('__proto__', 'constructor', 'image_id', 'id', 'size', 'hits')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A cached_images entry with each field either right, missing, or any JSON. */
const cachedEntry = fc.record(
  {
    image_id: fc.oneof(uuid, peerString(1), jsonish),
    hits: fc.oneof(fc.nat(1000), edgyNumber, jsonish),
    last_accessed: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 4_102_444_800, noNaN: true }), edgyNumber, jsonish),
    last_modified: fc.oneof(fc.double({ min: 1, max: 4_102_444_800, noNaN: true }), edgyNumber, jsonish),
    size: fc.oneof(fc.nat(2 ** 40), edgyNumber, jsonish),
  },
  { requiredKeys: [] },
);

/** GET /v2/cache bodies: valid ones, near misses, and anything. */
export const cacheBody = fc.oneof(
  fc.record({ cached_images: fc.array(fc.oneof(cachedEntry, jsonish), { maxLength: 6 }), queued_images: fc.array(fc.oneof(uuid, jsonish), { maxLength: 4 }) }, { requiredKeys: [] }),
  jsonish,
);

/** GET /v2/images pages. */
export const imagesBody = fc.oneof(
  fc.record(
    {
      images: fc.array(
        fc.oneof(fc.record({ id: fc.oneof(uuid, jsonish), name: fc.oneof(peerString(), fc.constant(null), jsonish), status: fc.oneof(fc.constantFrom('active', 'queued', 'deleted'), jsonish), size: fc.oneof(fc.nat(), fc.constant(null), edgyNumber) }, { requiredKeys: [] }), jsonish),
        { maxLength: 5 },
      ),
      next: fc.oneof(fc.constant(null), fc.constant('/v2/images?marker=x'), jsonish),
    },
    { requiredKeys: [] },
  ),
  jsonish,
);

/** GET /versions bodies. */
export const versionsBody = fc.oneof(
  fc.record({ versions: fc.array(fc.record({ id: fc.oneof(fc.constantFrom('v2.16', 'v2.14', 'v2.18', 'v2.9', 'v1.1', 'v3.0', 'v2', 'x'), peerString()), status: fc.oneof(fc.constantFrom('CURRENT', 'SUPPORTED', 'DEPRECATED', 'current'), jsonish) }, { requiredKeys: [] }), { maxLength: 5 }) }, { requiredKeys: [] }),
  jsonish,
);

/** YAML-ish text: the tokens an inventory is made of, in any order and indentation. */
export const yamlish = fc
  .array(
    fc.tuple(
      fc.constantFrom('', ' ', '  ', '    ', '\t'),
      fc.oneof(
        fc.constantFrom('nodes:', '- ', '- name: g01', '  url: http://10.0.0.1:9292', 'name:', 'url:', 'host:', 'port: 9292', 'prefix: /glance', 'defaults:', 'groups:', 'auth:', 'type: none',
          'timeout: 10s', 'max_size: 100GiB', 'labels: {az: a}', 'glance[01-03]', 'g[1-99999999]', '&anchor', '*anchor', '<<: *anchor', '{', '}', '[', ']', ',', '? ', '!!binary', '%YAML 1.2', '---', '...', '#', '"', "'", 'images_url: ftp://x', 'include: other.yaml', 'protect: [a]', 'cacert: ~/ca.pem', 'insecure: yes', '~', 'null'),
        peerString(),
      ),
    ),
    { maxLength: 14 },
  )
  .map((lines) => lines.map(([indent, text]) => indent + text).join('\n'));

/** Structured inventories: every known field, each with a right or a wrong value. */
const field = (right: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: jsonish });
const nodeEntry = fc.oneof(
  fc.constantFrom('glance01', 'glance[02-04].dc1', 'g[1-3,5]', 'bad name', ''),
  fc.record(
    {
      name: field(fc.constantFrom('glance01', 'glance02', 'g-1', 'G_2')),
      url: field(fc.constantFrom('http://10.0.0.1:9292', 'https://g:9292/prefix/', 'ftp://x', 'http://user:pw@h:1', 'http://h?q=1', 'not a url')),
      host: field(fc.constantFrom('h1.example', 'h[1-3].example', '10.0.0.9')),
      port: field(fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.constant('9292'))),
      scheme: field(fc.constantFrom('http', 'https', 'gopher')),
      prefix: field(fc.constantFrom('/glance', 'glance', '/')),
      timeout: field(fc.constantFrom('10s', '1m30s', '0s', '-1s', 'forever', 5)),
      connect_timeout: field(fc.constantFrom('5s', '500ms', 'x')),
      max_size: field(fc.constantFrom('100GiB', '10 GB', '-1', 0, 2 ** 60)),
      labels: field(fc.dictionary(fc.constantFrom('az', 'rack'), fc.constantFrom('a', 'b'))),
      cacert: field(fc.constantFrom('/etc/ssl/ca.pem', '~/ca.pem', 'ca.pem')),
      insecure: field(fc.boolean()),
      images_url: field(fc.constantFrom('http://lb:9292', 'x')),
    },
    { requiredKeys: [] },
  ),
  jsonish,
);
export const inventoryDocument = fc.record(
  {
    nodes: field(fc.array(nodeEntry, { maxLength: 5 })),
    defaults: field(fc.record({ port: field(fc.nat(70_000)), scheme: field(fc.constantFrom('http', 'https')), timeout: field(fc.constantFrom('10s', 'x')) }, { requiredKeys: [] })),
    groups: field(fc.dictionary(fc.constantFrom('az1', 'az2', 'all'), fc.oneof(fc.constantFrom('glance[01-02]', 'glance0*', '@az1', 'nope'), fc.array(fc.constantFrom('glance01', 'g-1', 'x'), { maxLength: 3 })))),
    auth: field(fc.record({ cloud: fc.constantFrom('prod'), type: fc.constantFrom('none', 'password') }, { requiredKeys: [] })),
    images_url: field(fc.constantFrom('http://lb:9292', 'nope')),
    protect: field(fc.array(fc.oneof(uuid, peerString()), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);
