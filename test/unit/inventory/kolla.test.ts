import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { parseKollaInventory } from '../../../src/inventory/kolla.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/inventory/${name}`, import.meta.url), 'utf8');
const hosts = (text: string) => parseKollaInventory(text, 'multinode').map(({ name, address, port }) => `${name} ${address}:${port}`);

function failure(text: string): string {
  try {
    parseKollaInventory(text, 'multinode');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('parsed without error');
}

describe('parseKollaInventory: the published multinode layout', () => {
  it('takes the hosts of glance-api through [glance-api:children] glance and [glance:children] control', () => {
    expect(parseKollaInventory(fixture('kolla-multinode'), '/etc/kolla/multinode')).toEqual([
      { name: 'control01', address: '10.20.0.11', port: 9292, at: { file: '/etc/kolla/multinode', line: 8 } },
      { name: 'control02', address: '10.20.0.12', port: 9292, at: { file: '/etc/kolla/multinode', line: 9 } },
      // Its own glance_api_port beats the one of [glance:vars].
      { name: 'control03', address: '10.20.0.13', port: 9393, at: { file: '/etc/kolla/multinode', line: 10 } },
    ]);
  });

  it('expands Ansible ranges (start:end), letters, group vars and a host listed twice', () => {
    expect(hosts(fixture('kolla-ranges'))).toEqual([
      'img01.site2.example.net img01.site2.example.net:9494',
      'img02.site2.example.net 192.0.2.2:9494',
      'img03.site2.example.net img03.site2.example.net:9494',
      'imga-spare.site2.example.net imga-spare.site2.example.net:9494',
      'imgb-spare.site2.example.net imgb-spare.site2.example.net:9494',
    ]);
  });
});

describe('parseKollaInventory: Ansible INI', () => {
  it('keeps zero padding, honours a step, and multiplies several ranges', () => {
    expect(hosts('[glance-api]\nc[08:11]\nw[1:7:3]\nr[1:2]n[a:b]\n')).toEqual(['c08 c08:9292', 'c09 c09:9292', 'c10 c10:9292', 'c11 c11:9292', 'w1 w1:9292', 'w4 w4:9292', 'w7 w7:9292', 'r1na r1na:9292', 'r1nb r1nb:9292', 'r2na r2na:9292', 'r2nb r2nb:9292']);
  });

  it('drops the ssh port of host:port, also after a range', () => {
    expect(hosts('[glance-api]\nnode1:2222\nnode[2:3]:22 ansible_host=10.0.0.9\n')).toEqual(['node1 node1:9292', 'node2 10.0.0.9:9292', 'node3 10.0.0.9:9292']);
  });

  it('applies variables with Ansible precedence: all, parents, children, then the host', () => {
    const text = [
      '[all:vars]', 'glance_api_port=1001',
      '[glance-api:children]', 'glance',
      '[glance-api:vars]', 'glance_api_port=1002',
      '[glance:children]', 'control',
      '[glance:vars]', 'glance_api_port=1003',
      '[control]', 'c1', 'c2 glance_api_port=1005',
      '[other]', 'c3',
      '[control:children]', 'other',
    ].join('\n');
    expect(hosts(text)).toEqual(['c1 c1:1003', 'c2 c2:1005', 'c3 c3:1003']);
    expect(hosts('[all:vars]\nglance_api_port=1001\n[glance-api]\nc1\n')).toEqual(['c1 c1:1001']);
  });

  it('takes an IPv6 ansible_host as the address', () => {
    expect(hosts('[glance-api]\nc1 ansible_host=fd00::11\n')).toEqual(['c1 fd00::11:9292']);
  });

  it('reads quoted values and ignores comments', () => {
    expect(hosts('; a comment\n[glance-api]  # the API\nc1 ansible_host="10.0.0.1" glance_api_port=\'9000\' # trailing\n#c2\n')).toEqual(['c1 10.0.0.1:9000']);
  });

  it('takes hosts listed before any section as ungrouped, and children defined later or never', () => {
    expect(hosts('lonely\n[glance-api:children]\nlater\nnever-defined\n[later]\nc1\n')).toEqual(['c1 c1:9292']);
  });
});

describe('parseKollaInventory: errors name the file and the line', () => {
  it.each([
    ['[control]\nc1\n', 'multinode: no group "glance-api": kolla-ansible deploys glance-api on that group\'s hosts'],
    ['[control]\nc1\n[glance-api:children]\nnova\n', 'multinode:3: group "glance-api" has no hosts'],
    ['[glance-api\nc1\n', 'multinode:1: "[glance-api" is not a section header like [group], [group:children] or [group:vars]'],
    ['[glance-api:hosts]\nc1\n', 'multinode:1: [glance-api:hosts]: a section is [group], [group:children] or [group:vars]'],
    ['[glance-api]\nc1 ansible_host\n', 'multinode:2: expected key=value after the host name, got "ansible_host"'],
    ['[glance-api:vars]\nglance_api_port\n', 'multinode:1: expected key=value in a [group:vars] section, got "glance_api_port"'.replace(':1:', ':2:')],
    ['[glance-api:children]\nglance control\n', 'multinode:2: expected one group name in a [group:children] section, got "glance control"'],
    ['[glance-api]\nc[03:01]\n', 'multinode:2: "c[03:01]": range 03:01 is reversed'],
    ['[glance-api]\nc[01:3]\n', 'multinode:2: "c[01:3]": 01 and 3 must have the same number of digits'],
    ['[glance-api]\nc[1-3]\n', 'multinode:2: "c[1-3]": a host range is [start:end] or [start:end:step]'],
    ['[glance-api]\nc[1:3:0]\n', 'multinode:2: "c[1:3:0]": the step must be a whole number from 1'],
    ['[glance-api]\nc[1:x]\n', 'multinode:2: "c[1:x]": 1:x is not a range of numbers or of letters'],
    ['[glance-api]\nc[1:3\n', 'multinode:2: "c[1:3" has an unbalanced "[" or "]"'],
    ['[glance-api]\nc[0:9999999]\n', 'multinode:2: "c[0:9999999]" stands for more than 100000 hosts'],
    ['[glance-api]\nc1 ansible_host="10.0.0.1\n', 'multinode:2: unclosed " quote'],
    ['[glance-api]\nc1 glance_api_port=http\n', 'multinode:2: glance_api_port: "http" is not a port number (1-65535)'],
    ['[glance-api]\nc1\n\n[glance-api:vars]\nglance_api_port="{{ glance_port }}"\n', 'multinode:5: glance_api_port: "{{ glance_port }}" is not a port number (1-65535): glance-cache does not evaluate Jinja templates; set it to a number'],
    ['[glance-api:children]\nglance\n[glance:children]\nglance-api\n', 'multinode:4: group "glance-api" contains itself through [glance:children]'],
    ['[glance-api]\nc1 ansible_host="$(reboot)"\n', 'multinode:2: ansible_host: "$(reboot)" is not a host name or IP address'],
    ['[glance-api]\nc1\n[glance-api:vars]\nansible_host=10.0.0.1/24\n', 'multinode:4: ansible_host: "10.0.0.1/24" is not a host name or IP address'],
    ['[glance-api]\nc1 ansible_host="{{ mgmt_ip }}"\n', 'multinode:2: ansible_host: "{{ mgmt_ip }}" is not a host name or IP address: glance-cache does not evaluate Jinja templates; set it to an address'],
  ])('%j', (text, message) => {
    expect(failure(text)).toBe(message);
  });
});
