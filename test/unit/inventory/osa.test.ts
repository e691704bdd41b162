import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { lineOfPath, syntaxErrorLine } from '../../../src/inventory/json-lines.js';
import { parseOsaInventory } from '../../../src/inventory/osa.js';

const fixture = readFileSync(new URL('../../fixtures/inventory/osa-openstack_inventory.json', import.meta.url), 'utf8');
const FILE = '/etc/openstack_deploy/openstack_inventory.json';

function failure(data: unknown, text = JSON.stringify(data, null, 2)): string {
  try {
    parseOsaInventory(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('parsed without error');
}

const vars = (address: string) => ({ management_address: address, container_address: address, ansible_host: address });

describe('parseOsaInventory', () => {
  it('takes the glance_api containers at their management_address, in the order listed', () => {
    expect(parseOsaInventory(fixture, FILE)).toEqual([
      { name: 'infra1_glance_container-5f2b6c1e', address: '172.29.239.101', port: 9292, at: { file: FILE, line: 260 } },
      { name: 'infra2_glance_container-9d31a2f0', address: '172.29.239.102', port: 9292, at: { file: FILE, line: 261 } },
      // glance_service_port from the host's variables.
      { name: 'infra3_glance_container-c47e08b5', address: '172.29.239.103', port: 9393, at: { file: FILE, line: 262 } },
    ]);
    expect(fixture.split('\n')[259]).toContain('"infra1_glance_container-5f2b6c1e"');
  });

  it('falls back to container_address, then ansible_host, and follows children', () => {
    const data = {
      _meta: { hostvars: { a: { container_address: '10.0.0.1', ansible_host: '10.9.9.9' }, b: { ansible_host: '10.0.0.2' }, c: { management_address: '10.0.0.3', glance_service_port: '9000' } } },
      glance_api: { children: ['glance_extra'], hosts: ['a'] },
      glance_extra: { hosts: ['b', 'a', 'c'] },
    };
    expect(parseOsaInventory(JSON.stringify(data), FILE).map(({ name, address, port }) => `${name} ${address}:${port}`)).toEqual(['a 10.0.0.1:9292', 'b 10.0.0.2:9292', 'c 10.0.0.3:9000']);
  });

  it.each([
    [{ glance_all: { hosts: [] } }, `${FILE}: no group "glance_api": openstack-ansible deploys glance-api on that group's hosts`],
    [{ glance_api: { children: [], hosts: [] } }, `${FILE}:2: glance_api: group "glance_api" has no hosts`],
    [{ glance_api: { hosts: 'infra1' } }, `${FILE}:3: glance_api.hosts: must be a list of names`],
    [{ glance_api: ['infra1'] }, `${FILE}:2: glance_api: a group must be an object with "hosts" and "children" lists`],
    [{ glance_api: { hosts: ['x'] } }, `${FILE}:4: glance_api.hosts[0]: host "x" has no variables in _meta.hostvars, so no address`],
    [{ _meta: { hostvars: { x: { physical_host: 'infra1' } } }, glance_api: { hosts: ['x'] } }, `${FILE}:4: _meta.hostvars.x: host "x" has none of management_address, container_address, ansible_host`],
    [{ _meta: { hostvars: { x: { ...vars('10.0.0.1'), glance_service_port: 'http' } } }, glance_api: { hosts: ['x'] } }, `${FILE}:8: _meta.hostvars.x.glance_service_port: "http" is not a port number (1-65535)`],
    [{ glance_api: { children: ['glance_all'] }, glance_all: { children: ['glance_api'] } }, `${FILE}:9: glance_all.children[0]: group "glance_api" contains itself`],
    [['not', 'an', 'object'], `${FILE}:1: an openstack-ansible inventory is a JSON object of groups`],
    [{ _meta: { hostvars: { x: { management_address: '$(reboot)' } } }, glance_api: { hosts: ['x'] } }, `${FILE}:5: _meta.hostvars.x.management_address: "$(reboot)" is not a host name or IP address`],
  ])('names the file, the line and the field: %j', (data, message) => {
    expect(failure(data)).toBe(message);
  });

  it('reports where the JSON breaks without quoting the file', () => {
    const message = failure(null, '{\n  "glance_api": {\n    "hosts": ["a",]\n  }\n}\n');
    expect(message).toBe(`${FILE}:3: not valid JSON`);
  });
});

describe('JSON lines', () => {
  const text = '{\n  "a": [1, {"b": "x"},\n    "c"],\n  "d\\"e": {"f": null}\n}';

  it('finds the line of the value at a path, or nothing', () => {
    expect(lineOfPath(text, [])).toBe(1);
    expect(lineOfPath(text, ['a', 2])).toBe(3);
    expect(lineOfPath(text, ['a', 1, 'b'])).toBe(2);
    expect(lineOfPath(text, ['d"e', 'f'])).toBe(4);
    expect(lineOfPath(text, ['a', 3])).toBeUndefined();
    expect(lineOfPath(text, ['z'])).toBeUndefined();
    expect(lineOfPath(text, ['a', 'b'])).toBeUndefined();
  });

  it.each([
    ['{\n"a": 1,\n"b" 2}', 3],
    ['{"a": tru}', 1],
    ['[1,\n2,\n]', 3],
    ['{\n"a":', 2],
    ['', 1],
    ['{}\n\nx', 3],
    ['{"a": "line\nbreak"}', 1],
  ])('finds the line of the first syntax error in %j', (broken, line) => {
    expect(() => JSON.parse(broken)).toThrow();
    expect(syntaxErrorLine(broken)).toBe(line);
  });

  it('finds the line of every member of any JSON document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()), (before, object, array) => {
        // One member per line, after a first line of anything: member i sits on line i + 2.
        const members = Object.entries(object).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
        const lines = (items: string[]) => items.map((item, index) => `${index ? ',' : ''}\n${item}`).join('');
        const text = `[${JSON.stringify(before)}, {"object": {${lines(members)}},\n"array": [${lines(array.map((item) => JSON.stringify(item)))}]}]`;
        expect(() => JSON.parse(text)).not.toThrow();
        Object.keys(object).forEach((key, index) => expect(lineOfPath(text, [1, 'object', key])).toBe(index + 2));
        array.forEach((_, index) => expect(lineOfPath(text, [1, 'array', index])).toBe(members.length + index + 3));
        expect(lineOfPath(text, [2])).toBeUndefined();
      }),
    );
  });
});
