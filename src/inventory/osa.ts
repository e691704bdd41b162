/**
 * openstack-ansible's generated inventory (/etc/openstack_deploy/openstack_inventory.json) to the
 * glance-api hosts it deploys: the members of group `glance_api` (and of its children), each addressed
 * by its `management_address` from `_meta.hostvars` (then `container_address`, then `ansible_host`), on
 * `glance_service_port` when the host's variables set it, else 9292. Pure: text in, hosts out.
 */
import { ConfigError } from '../errors.js';
import { isHostAddress } from './host.js';
import { lineOfPath, syntaxErrorLine } from './json-lines.js';
import type { ForeignHost } from './schema.js';

export const OSA_GLANCE_GROUP = 'glance_api';
const OSA_DEFAULT_PORT = 9292;
const ADDRESS_KEYS = ['management_address', 'container_address', 'ansible_host'];

type Json = Record<string, unknown>;

export function parseOsaInventory(text: string, file: string): ForeignHost[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's message may quote the file: the line is enough, and says nothing the file should keep.
    throw new ConfigError({ file, line: syntaxErrorLine(text) }, 'not valid JSON');
  }
  if (!isObject(data)) throw new ConfigError({ file, line: 1 }, 'an openstack-ansible inventory is a JSON object of groups');
  const fail = (path: (string | number)[], reason: string): never => {
    const field = path.map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`)).join('');
    throw new ConfigError({ file, line: lineOfPath(text, path), field }, reason);
  };
  if (data[OSA_GLANCE_GROUP] === undefined) {
    throw new ConfigError({ file }, `no group "${OSA_GLANCE_GROUP}": openstack-ansible deploys glance-api on that group's hosts`);
  }
  const listed = new Map<string, (string | number)[]>();
  collect(OSA_GLANCE_GROUP, [], data, listed, fail);
  if (listed.size === 0) fail([OSA_GLANCE_GROUP], `group "${OSA_GLANCE_GROUP}" has no hosts`);
  const meta = data._meta;
  const hostvars = isObject(meta) && isObject(meta.hostvars) ? meta.hostvars : {};
  return [...listed].map(([name, path]): ForeignHost => {
    const vars = hostvars[name];
    if (!isObject(vars)) return fail(path, `host ${JSON.stringify(name)} has no variables in _meta.hostvars, so no address`);
    const key = ADDRESS_KEYS.find((candidate) => typeof vars[candidate] === 'string' && vars[candidate] !== '');
    if (!key) return fail(['_meta', 'hostvars', name], `host ${JSON.stringify(name)} has none of ${ADDRESS_KEYS.join(', ')}`);
    const address = vars[key] as string;
    // It becomes the host of a URL: a name or an IP address, nothing else.
    if (!isHostAddress(address)) return fail(['_meta', 'hostvars', name, key], `${JSON.stringify(address)} is not a host name or IP address`);
    return { name, address, port: portOf(vars.glance_service_port, ['_meta', 'hostvars', name, 'glance_service_port'], fail), at: { file, line: lineOfPath(text, path) } };
  });
}

/** Hosts of a group, then of its children, depth first, each once; `listed` maps a host to where it is listed. */
function collect(group: string, path: string[], data: Json, listed: Map<string, (string | number)[]>, fail: (path: (string | number)[], reason: string) => never): void {
  const entry = data[group];
  if (entry === undefined) return;
  if (!isObject(entry)) fail([group], 'a group must be an object with "hosts" and "children" lists');
  for (const key of ['hosts', 'children'] as const) {
    const members = entry[key] ?? [];
    if (!Array.isArray(members) || !members.every((member) => typeof member === 'string')) fail([group, key], 'must be a list of names');
    (members as string[]).forEach((member, index) => {
      if (key === 'hosts') {
        if (!listed.has(member)) listed.set(member, [group, key, index]);
        return;
      }
      if (member === group || path.includes(member)) fail([group, key, index], `group "${member}" contains itself`);
      collect(member, [...path, group], data, listed, fail);
    });
  }
}

function portOf(value: unknown, path: (string | number)[], fail: (path: (string | number)[], reason: string) => never): number {
  if (value === undefined) return OSA_DEFAULT_PORT;
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  return fail(path, `${JSON.stringify(value)} is not a port number (1-65535)`);
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
