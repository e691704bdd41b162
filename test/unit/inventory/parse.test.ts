import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/parse.js';
import { buildInventory } from '../../../src/inventory/schema.js';

const fixtureDir = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url));
const fixture = (name: string): string => readFileSync(`${fixtureDir}${name}`, 'utf8');

/** The one-line message a user would see, after checking it is a ConfigError (exit 2). */
function failure(text: string, file = 'inventory.yaml', key?: string): string {
  try {
    parseInventory(text, file, { home: '/home/op', key });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.usage);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;

describe('parseInventory: the fleet fixture', () => {
  const inventory = parseInventory(fixture('fleet.yaml'), '/srv/fleet.yaml', { home: '/home/op' });

  it('expands ranges into nodes named by their first DNS label, with defaults applied', () => {
    expect(inventory.nodes.map((node) => [node.name, node.url])).toEqual([
      ['glance01', 'http://10.0.0.11:9292'],
      ['glance02', 'http://glance02.dc1.example.net:9292'],
      ['glance03', 'http://glance03.dc1.example.net:9292'],
      ['glance04', 'http://glance04.dc1.example.net:9292'],
      ['glance05', 'http://glance05.dc1.example.net:9292'],
      ['glance06', 'http://glance06.dc1.example.net:9292'],
      ['glance07', 'https://glance07.dc2.example.net:9393/glance'],
      ['glance08', 'https://glance08.dc2.example.net:9393/glance'],
    ]);
  });

  it('applies entry settings over defaults and built-in defaults last', () => {
    const [first, second, , , , , seventh] = inventory.nodes;
    expect(first).toMatchObject({ labels: { az: 'az1', rack: 'r1' }, timeoutMs: 20_000, connectTimeoutMs: 5_000, maxSizeBytes: 100 * 2 ** 30 });
    expect(second).toMatchObject({ labels: {}, timeoutMs: 20_000, at: { file: '/srv/fleet.yaml', line: 12, field: 'nodes[1]' } });
    expect(seventh).toMatchObject({ labels: { az: 'az3' }, timeoutMs: 30_000, caFile: '/srv/ca/dc2.pem', at: { line: 13, field: 'nodes[2]' } });
  });

  it('resolves groups from ranges, lists, globs and URLs, in inventory order', () => {
    expect(inventory.groups).toEqual({
      az1: ['glance01', 'glance02', 'glance03'],
      az2: ['glance04', 'glance05', 'glance06'],
      dc2: ['glance07', 'glance08'],
      tls: ['glance07'],
    });
  });

  it('keeps auth with its location, protect and the images URL without its trailing slash', () => {
    expect(inventory.auth).toEqual({ settings: { cloud: 'prod' }, at: { file: '/srv/fleet.yaml', line: 28, field: 'auth' } });
    expect(inventory.protect).toEqual(['cirros-0.6.2', '0b6e9f7e-3c1a-4a8e-9d4b-2f1e8f0c7a11']);
    expect(inventory.imagesUrl).toBe('http://lb.example.net:9292');
    expect(inventory.source).toBe('/srv/fleet.yaml');
  });
});

describe('parseInventory: fixtures and formats', () => {
  it('reads the small fixture with the built-in timeouts', () => {
    const inventory = parseInventory(fixture('small.yaml'), 'small.yaml');
    expect(inventory.nodes).toEqual([
      { name: 'lab', url: 'http://192.168.122.10:9292', labels: {}, timeoutMs: 10_000, connectTimeoutMs: 5_000, at: { file: 'small.yaml', line: 3, field: 'nodes[0]' } },
    ]);
    expect(inventory.groups).toEqual({});
    expect(inventory.protect).toEqual([]);
  });

  it('reads JSON with line numbers', () => {
    expect(failure(fixture('fleet.json'), 'fleet.json')).toBe('fleet.json:6: nodes[2].url: "ftp://10.0.0.13:9292" is not an http(s) URL');
  });

  it('reports a reversed range at its entry', () => {
    expect(failure(fixture('broken-range.yaml'), 'broken-range.yaml')).toBe(
      'broken-range.yaml:5: nodes[1]: "glance[06-02].dc1.example.net": range 06-02 is reversed',
    );
  });

  it('reports a duplicate URL naming both places', () => {
    expect(failure(fixture('broken-duplicate.yaml'), 'broken-duplicate.yaml')).toBe(
      'broken-duplicate.yaml:5: nodes[2]: duplicate node URL http://glance02.dc1.example.net:9292: also in nodes[0] at line 2',
    );
  });

  it('reports an unknown field with a suggestion', () => {
    expect(failure(fixture('broken-field.yaml'), 'broken-field.yaml')).toBe(
      'broken-field.yaml:3: defaults.conect_timeout: unknown field; did you mean "connect_timeout"?',
    );
  });

  it('reads the inventory under a key, as in package.json', () => {
    const text = lines('{', '  "name": "ops",', '  "glance-cache": {', '    "nodes": [{ "name": "a", "url": "gopher://x" }]', '  }', '}');
    expect(failure(text, 'package.json', 'glance-cache')).toBe('package.json:4: nodes[0].url: "gopher://x" is not an http(s) URL');
    const valid = text.replace('gopher', 'http');
    expect(parseInventory(valid, 'package.json', { key: 'glance-cache' }).nodes[0]).toMatchObject({ name: 'a', url: 'http://x', at: { line: 4 } });
  });

  it('shares settings through YAML anchors and merge keys', () => {
    const inventory = parseInventory(
      lines('nodes:', '  - &dc2 {host: a1.dc2, port: 9393, timeout: 1m}', '  - <<: *dc2', '    host: a2.dc2'),
      'inv.yaml',
    );
    expect(inventory.nodes.map((node) => [node.name, node.url, node.timeoutMs])).toEqual([
      ['a1', 'http://a1.dc2:9393', 60_000],
      ['a2', 'http://a2.dc2:9393', 60_000],
    ]);
  });
});

describe('parseInventory: node names and URLs', () => {
  it('keeps full host names when first labels would clash', () => {
    const inventory = parseInventory(lines('nodes:', '  - glance[01-02].dc1', '  - glance01.dc2'), 'inv.yaml');
    expect(inventory.nodes.map((node) => node.name)).toEqual(['glance01.dc1', 'glance02.dc1', 'glance01.dc2']);
  });

  it('keeps full host names when a first label is also an explicit name', () => {
    const inventory = parseInventory(lines('nodes:', '  - {name: glance01, url: "http://10.0.0.1:9292"}', '  - glance01.dc2'), 'inv.yaml');
    expect(inventory.nodes.map((node) => node.name)).toEqual(['glance01', 'glance01.dc2']);
  });

  it('never shortens an IPv4 address and takes a port from the host string', () => {
    const inventory = parseInventory(lines('nodes:', '  - 10.0.0.[11-12]:9393'), 'inv.yaml');
    expect(inventory.nodes.map((node) => [node.name, node.url])).toEqual([
      ['10.0.0.11', 'http://10.0.0.11:9393'],
      ['10.0.0.12', 'http://10.0.0.12:9393'],
    ]);
  });

  it('reads IPv6 addresses, bracketed (with a port) or bare, and names them without brackets', () => {
    const inventory = parseInventory(lines('nodes:', '  - "[::1]"', '  - "[fe80::1]:9393"', '  - "fd00::[11-12]"', '  - {host: "fd00::20", port: 9000}'), 'inv.yaml');
    expect(inventory.nodes.map((node) => [node.name, node.url])).toEqual([
      ['::1', 'http://[::1]:9292'],
      ['fe80::1', 'http://[fe80::1]:9393'],
      ['fd00::11', 'http://[fd00::11]:9292'],
      ['fd00::12', 'http://[fd00::12]:9292'],
      ['fd00::20', 'http://[fd00::20]:9000'],
    ]);
  });

  it('normalizes prefixes and URLs so that one endpoint has one spelling', () => {
    const inventory = parseInventory(
      lines('defaults: {prefix: "glance/", scheme: https, port: 443}', 'nodes:', '  - a.example', '  - {name: b, url: "HTTP://B.example:80/cache//"}'),
      'inv.yaml',
    );
    expect(inventory.nodes.map((node) => node.url)).toEqual(['https://a.example/glance', 'http://b.example/cache']);
  });

  it('resolves a cacert path from the home directory', () => {
    const inventory = parseInventory(lines('defaults: {cacert: ~/ca.pem}', 'nodes: [a]'), '/etc/x/inv.yaml', { home: '/home/op' });
    expect(inventory.nodes[0]?.caFile).toBe('/home/op/ca.pem');
  });
});

describe('parseInventory: errors name file, line and field', () => {
  it.each([
    ['YAML syntax', lines('nodes:', '  - a', ' - b'), 'inventory.yaml:3: not valid YAML: A block sequence may not be used as an implicit map key'],
    ['duplicate YAML keys', lines('nodes: [a]', 'nodes: [b]'), 'inventory.yaml:2: not valid YAML: Map keys must be unique'],
    ['an empty file', '# nothing yet\n', 'inventory.yaml: is empty: an inventory needs a "nodes:" list'],
    ['a list at the top', lines('', '- a', '- b'), 'inventory.yaml:2: an inventory must be a mapping with a "nodes:" list'],
    ['a missing nodes list', lines('defaults: {port: 9292}'), 'inventory.yaml:1: nodes: is missing: list the glance-api nodes'],
    ['an empty nodes list', lines('nodes: []'), 'inventory.yaml:1: nodes: is empty: list the glance-api nodes'],
    ['an unknown top field', lines('nodes: [a]', 'node: [b]'), 'inventory.yaml:2: node: unknown field; did you mean "nodes"?'],
    ['an unknown node field', lines('nodes:', '  - name: a', '    url: http://a:9292', '    tmeout: 3s'), 'inventory.yaml:4: nodes[0].tmeout: unknown field; did you mean "timeout"?'],
    ['an unknown field far from all', lines('nodes: [a]', 'defaults: {colour: red}'), 'inventory.yaml:2: defaults.colour: unknown field; expected one of port, scheme, prefix, timeout, connect_timeout, max_size, cacert, insecure'],
    ['a misspelt host key', lines('nodes:', '  - hots: a[1-2]'), 'inventory.yaml:2: nodes[0].hots: unknown field; did you mean "host"?'],
    ['an ftp URL', lines('nodes:', '  - name: a', '    url: ftp://x'), 'inventory.yaml:3: nodes[0].url: "ftp://x" is not an http(s) URL'],
    ['a URL with a query', lines('nodes:', '  - {name: a, url: "http://a:9292/?x=1"}'), 'inventory.yaml:2: nodes[0].url: "http://a:9292/?x=1" must not have a query or fragment'],
    ['a name with a space', lines('nodes:', '  - {name: "glance 1", url: "http://a:9292"}'), 'inventory.yaml:2: nodes[0].name: "glance 1" may only hold letters, digits, ".", "_" and "-"'],
    ['a name without url', lines('nodes:', '  - name: a'), 'inventory.yaml:2: nodes[0]: has a "name" but no "url"'],
    ['a port with url', lines('nodes:', '  - name: a', '    url: http://a', '    port: 9393'), 'inventory.yaml:4: nodes[0].port: is not used with "url": write it into the URL'],
    ['host and url together', lines('nodes:', '  - {host: a, url: "http://a"}'), 'inventory.yaml:2: nodes[0]: has "host" and "name"/"url": use one form'],
    ['an entry of the wrong type', lines('nodes:', '  - 42'), 'inventory.yaml:2: nodes[0]: must be a host name, or a mapping with "name" and "url" or with "host"'],
    ['a URL as a host string', lines('nodes:', '  - http://a:9292'), 'inventory.yaml:2: nodes[0]: "http://a:9292" is a URL: write it as {name: ..., url: ...}'],
    ['a bad host', lines('nodes:', '  - host: "a b"'), 'inventory.yaml:2: nodes[0].host: "a b" is not a host name, IP address, host:port or [IPv6]:port'],
    ['a range in the host mapping', lines('nodes:', '  - host: a[2-1]'), 'inventory.yaml:2: nodes[0].host: "a[2-1]": range 2-1 is reversed'],
    ['a duplicate name', lines('nodes:', '  - {name: a, url: "http://a1"}', '  - {name: a, url: "http://a2"}'), 'inventory.yaml:3: nodes[1]: duplicate node name "a": also in nodes[0] at line 2'],
    ['a bad duration', lines('defaults:', '  timeout: soon', 'nodes: [a]'), 'inventory.yaml:2: defaults.timeout: "soon" is not a duration: use a number with a unit like 500ms, 10s, 2m, 1h30m, 7d'],
    ['a zero timeout', lines('nodes:', '  - host: a', '    connect_timeout: 0s'), 'inventory.yaml:3: nodes[0].connect_timeout: "0s" must be longer than 0'],
    ['an empty timeout', lines('nodes:', '  - host: a', '    timeout:'), 'inventory.yaml:3: nodes[0].timeout: must be a duration like 10s, up to 1d'],
    ['a bad size', lines('defaults: {max_size: lots}', 'nodes: [a]'), 'inventory.yaml:1: defaults.max_size: "lots" is not a size: use bytes or a unit like 50MiB, 10GB, 1TiB'],
    ['a bad port', lines('defaults:', '  port: 70000', 'nodes: [a]'), 'inventory.yaml:2: defaults.port: 70000 is not a port number (1-65535)'],
    ['a bad scheme', lines('nodes:', '  - host: a', '    scheme: ftp'), 'inventory.yaml:3: nodes[0].scheme: "ftp" is not http or https'],
    ['a bad insecure', lines('defaults: {insecure: "yes"}', 'nodes: [a]'), 'inventory.yaml:1: defaults.insecure: must be true or false'],
    ['an IPv6 address with a zone', lines('nodes: ["[fe80::1%eth0]"]'), 'inventory.yaml:1: nodes[0]: "[fe80::1%eth0]" is not a host name, IP address, host:port or [IPv6]:port'],
    ['a URL as a host', lines('nodes: ["http://[::1]:9292"]'), 'inventory.yaml:1: nodes[0]: "http://[::1]:9292" is a URL: write it as {name: ..., url: ...}'],
    ['a bad label', lines('nodes:', '  - host: a', '    labels:', '      az: [1, 2]'), 'inventory.yaml:4: nodes[0].labels.az: a label value must be a string'],
    ['a missing group member', lines('nodes: ["glance[01-03]"]', 'groups:', '  az1: "glance[01-04]"'), 'inventory.yaml:3: groups.az1: "glance[01-04]" names unknown nodes glance04; nodes: glance[01-03]'],
    ['a group matching nothing', lines('nodes: ["glance[01-03]"]', 'groups:', '  az2:', '    - glance01', '    - web*'), 'inventory.yaml:5: groups.az2[1]: "web*" matches no node (web*); nodes: glance[01-03]'],
    ['a group named like a node', lines('nodes: ["glance[01-03]"]', 'groups: {glance01: glance01}'), 'inventory.yaml:2: groups.glance01: "glance01" is also a node name: rename the group'],
    ['a group in a group', lines('nodes: [a]', 'groups: {x: a, y: "@x"}'), 'inventory.yaml:2: groups.y: "@x": a group cannot include another group'],
    ['an empty group', lines('nodes: [a]', 'groups: {x: []}'), 'inventory.yaml:2: groups.x: is empty'],
    ['auth that is not a mapping', lines('nodes: [a]', 'auth: prod'), 'inventory.yaml:2: auth: must be a mapping'],
    ['protect that is not a list', lines('nodes: [a]', 'protect: cirros'), 'inventory.yaml:2: protect: must be a list'],
    ['an alias without anchor', lines('nodes:', '  - *missing'), 'inventory.yaml:2: nodes[0]: alias *missing has no anchor &missing before it'],
    ['a collection as a key', lines('nodes: [a]', '? [x]', ': 1'), 'inventory.yaml:1: keys must be plain words'],
  ])('rejects %s', (_case, text, message) => {
    expect(failure(text)).toBe(message);
  });

  it('never quotes a URL that holds credentials', () => {
    const message = failure(lines('nodes:', '  - name: a', '    url: http://admin:s3cret@a:9292'));
    expect(message).toBe('inventory.yaml:3: nodes[0].url: URLs must not hold credentials: put them under auth:');
    expect(message).not.toContain('s3cret');
  });
});

describe('buildInventory without lines (JS configs)', () => {
  it('names the file and field', () => {
    expect(() => buildInventory({ nodes: [{ name: 'a', url: 'ftp://a' }] }, { file: 'glance-cache.config.mjs', lineOf: () => undefined })).toThrow(
      new ConfigError({ file: 'glance-cache.config.mjs', field: 'nodes[0].url' }, '"ftp://a" is not an http(s) URL'),
    );
  });

  it('accepts numbers for durations (seconds) and ports', () => {
    const inventory = buildInventory({ defaults: { timeout: 2.5, port: '8080' }, nodes: ['a'] }, { file: 'x.js', lineOf: () => undefined });
    expect(inventory.nodes[0]).toMatchObject({ url: 'http://a:8080', timeoutMs: 2500 });
  });
});
