import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/locate.js';
import { parseInventory } from '../../../src/inventory/parse.js';
import type { ForeignHost } from '../../../src/inventory/schema.js';

const kolla: ForeignHost[] = [
  { name: 'control01', address: '10.20.0.11', port: 9292, at: { file: '/etc/kolla/multinode', line: 8 } },
  { name: 'control02', address: 'fd00::12', port: 9393, at: { file: '/etc/kolla/multinode', line: 9 } },
];
const included = new Map([['kolla:/etc/kolla/multinode', kolla]]);
const parse = (text: string) => parseInventory(text, 'inv.yaml', { included });

function failure(text: string, hosts = included): string {
  try {
    parseInventory(text, 'inv.yaml', { included: hosts });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('parsed without error');
}

describe('include: in the inventory schema', () => {
  it('adds the hosts of another tool with their names, addresses and ports, and no nodes: of its own', () => {
    const inventory = parse('include: ["kolla:/etc/kolla/multinode"]\n');
    expect(inventory.nodes.map((node) => [node.name, node.url, node.at])).toEqual([
      ['control01', 'http://10.20.0.11:9292', { file: '/etc/kolla/multinode', line: 8 }],
      ['control02', 'http://[fd00::12]:9393', { file: '/etc/kolla/multinode', line: 9 }],
    ]);
    expect(inventory.nodes[0]).toMatchObject({ timeoutMs: 10_000, connectTimeoutMs: 5_000, labels: {} });
  });

  it('applies defaults to included hosts and lets groups and nodes: mix with them', () => {
    const inventory = parse(
      [
        'include:',
        '  - kolla:/etc/kolla/multinode',
        'nodes:',
        '  - edge01.example.net',
        'defaults: {scheme: https, prefix: /image, timeout: 3s, max_size: 1GiB}',
        'groups: {core: "control0[1-2]", all-of-them: "*"}',
      ].join('\n'),
    );
    expect(inventory.nodes.map((node) => [node.name, node.url, node.timeoutMs, node.maxSizeBytes])).toEqual([
      ['edge01', 'https://edge01.example.net:9292/image', 3000, 1024 ** 3],
      ['control01', 'https://10.20.0.11:9292/image', 3000, 1024 ** 3],
      ['control02', 'https://[fd00::12]:9393/image', 3000, 1024 ** 3],
    ]);
    expect(inventory.groups).toEqual({ core: ['control01', 'control02'], 'all-of-them': ['edge01', 'control01', 'control02'] });
  });

  it('names both places of a duplicate, in whichever file each is', () => {
    expect(failure('include: ["kolla:/etc/kolla/multinode"]\nnodes:\n  - {name: control01, url: "http://x:9292"}\n')).toBe(
      '/etc/kolla/multinode:8: duplicate node name "control01": also in nodes[0] at line 3',
    );
    const twice = new Map([['kolla:/etc/kolla/multinode', kolla], ['kolla:/srv/other', [{ ...kolla[0]!, name: 'other01', at: { file: '/srv/other', line: 4 } }]]]);
    expect(failure('include: ["kolla:/etc/kolla/multinode", "kolla:/srv/other"]\n', twice)).toBe(
      '/srv/other:4: duplicate node URL http://10.20.0.11:9292: also at /etc/kolla/multinode:8',
    );
  });

  it.each([
    ['include: ["inventory2.yaml"]\n', 'inv.yaml:1: include[0]: "inventory2.yaml" is not another tool\'s inventory: "kolla:PATH" (kolla-ansible) or "osa:PATH" (openstack-ansible)'],
    ['include: kolla:/etc/kolla/multinode\n', 'inv.yaml:1: include: must be a list'],
    ['include:\n  - 42\n', 'inv.yaml:2: include[0]: must be another tool\'s inventory: "kolla:PATH" (kolla-ansible) or "osa:PATH" (openstack-ansible)'],
    ['include: []\n', 'inv.yaml:1: include: is empty: list the glance-api nodes'],
    ['nodes: []\ninclude: []\n', 'inv.yaml:1: nodes: is empty: list the glance-api nodes'],
    ['include: ["kolla:/etc/kolla/multinode"]\ndefaults: {scheme: ftp}\n', 'inv.yaml:2: defaults.scheme: "ftp" is not http or https'],
  ])('rejects %j', (text, message) => {
    expect(failure(text)).toBe(message);
  });

  it('rejects a host name that cannot be a node name, pointing into the other file', () => {
    const odd = new Map([['kolla:x', [{ ...kolla[0]!, name: 'control 01' }]]]);
    expect(failure('include: ["kolla:x"]\n', odd)).toBe('/etc/kolla/multinode:8: host "control 01": a node name may only hold letters, digits, ".", "_" and "-"');
  });
});

describe('loadInventory with other tools\' inventories', () => {
  let dir: string;
  const fixture = (name: string) => new URL(`../../fixtures/inventory/${name}`, import.meta.url).pathname;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'glance-cache-include-'));
    await mkdir(join(dir, 'kolla'));
    await copyFile(fixture('kolla-multinode'), join(dir, 'kolla', 'multinode'));
    await copyFile(fixture('osa-openstack_inventory.json'), join(dir, 'openstack_inventory.json'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = (flag: string) => loadInventory({ flag, env: {}, cwd: dir, home: dir });

  it('reads -i kolla:PATH and -i osa:PATH, relative to the working directory', async () => {
    const fromKolla = await load('kolla:kolla/multinode');
    expect(fromKolla.path).toBe(join(dir, 'kolla', 'multinode'));
    expect(fromKolla.inventory.source).toBe('kolla:kolla/multinode');
    expect(fromKolla.inventory.nodes.map((node) => [node.name, node.url, `${node.at.file}:${node.at.line}`])).toEqual([
      ['control01', 'http://10.20.0.11:9292', 'kolla/multinode:8'],
      ['control02', 'http://10.20.0.12:9292', 'kolla/multinode:9'],
      ['control03', 'http://10.20.0.13:9393', 'kolla/multinode:10'],
    ]);
    const fromOsa = await load(`osa:${join(dir, 'openstack_inventory.json')}`);
    expect(fromOsa.inventory.nodes.map((node) => node.url)).toEqual(['http://172.29.239.101:9292', 'http://172.29.239.102:9292', 'http://172.29.239.103:9393']);
  });

  it('reads include: entries relative to the including file, and names a missing one', async () => {
    await writeFile(join(dir, 'inventory.yaml'), 'include:\n  - kolla:kolla/multinode\n  - osa:openstack_inventory.json\ndefaults: {max_size: 100GiB}\n');
    const loaded = await loadInventory({ flag: join(dir, 'inventory.yaml'), env: {}, cwd: '/', home: dir });
    expect(loaded.inventory.nodes.map((node) => node.name)).toEqual(['control01', 'control02', 'control03', 'infra1_glance_container-5f2b6c1e', 'infra2_glance_container-9d31a2f0', 'infra3_glance_container-c47e08b5']);
    expect(loaded.inventory.nodes.every((node) => node.maxSizeBytes === 100 * 1024 ** 3)).toBe(true);
    await writeFile(join(dir, 'broken.yaml'), 'include: [kolla:nowhere/multinode]\n');
    await expect(load('broken.yaml')).rejects.toThrow(`${join(dir, 'nowhere', 'multinode')}: cannot read: no such file (included by broken.yaml)`);
  });

  it('passes the other file\'s errors through with its line', async () => {
    await writeFile(join(dir, 'kolla', 'multinode'), '[glance-api]\ncontrol[01:3]\n');
    await expect(load('kolla:kolla/multinode')).rejects.toThrow('kolla/multinode:2: "control[01:3]": 01 and 3 must have the same number of digits');
    await expect(load('osa:missing.json')).rejects.toThrow('missing.json: cannot read: no such file');
  });
});
