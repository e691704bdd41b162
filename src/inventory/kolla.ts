/**
 * kolla-ansible's inventory (an Ansible INI file such as /etc/kolla/multinode) to the glance-api hosts
 * it deploys: the members of group `glance-api`, through its `:children` (`[glance-api:children]` ->
 * `glance` -> `control`), with Ansible's host ranges (`control[01:03]`). Each host's address is its
 * `ansible_host` when set, else its name; its port is `glance_api_port` (set on the host line or in a
 * `[group:vars]` section, with Ansible's precedence), else kolla's default 9292. Pure: text in, hosts out.
 */
import { ConfigError } from '../errors.js';
import { isHostAddress } from './host.js';
import type { ForeignHost } from './schema.js';

export const KOLLA_GLANCE_GROUP = 'glance-api';
const KOLLA_DEFAULT_PORT = 9292;
/** Like expandNodeSet's guard: no real inventory is this big, a typo like [1:99999999] is. */
const MAX_HOSTS = 100_000;

interface Setting {
  value: string;
  line: number;
}

interface Group {
  line: number;
  hosts: string[];
  children: { name: string; line: number }[];
  vars: Map<string, Setting>;
}

interface Host {
  line: number;
  vars: Map<string, Setting>;
}

export function parseKollaInventory(text: string, file: string): ForeignHost[] {
  const { groups, hosts } = new IniReader(file).read(text);
  const glance = groups.get(KOLLA_GLANCE_GROUP);
  if (!glance) throw new ConfigError({ file }, `no group "${KOLLA_GLANCE_GROUP}": kolla-ansible deploys glance-api on that group's hosts`);
  // Every group's members, as Ansible resolves them all: a loop anywhere is an error, as it is there.
  const members = new Map([...groups.keys()].map((name) => [name, membersOf(name, groups, file, [])]));
  const glanceHosts = members.get(KOLLA_GLANCE_GROUP)!;
  if (glanceHosts.size === 0) throw new ConfigError({ file, line: glance.line }, `group "${KOLLA_GLANCE_GROUP}" has no hosts`);
  const parents = parentsOf(groups);
  return [...glanceHosts]
    .map((name) => ({ name, host: hosts.get(name)! }))
    .sort((a, b) => a.host.line - b.host.line)
    .map(({ name, host }) => {
      const holding = [...members].filter(([group, held]) => group !== 'all' && held.has(name)).map(([group]) => group);
      const vars = effectiveVars(host, holding, groups, parents);
      return { name, address: addressOf(vars.get('ansible_host'), file) ?? name, port: portOf(vars.get('glance_api_port'), file), at: { file, line: host.line } };
    });
}

/** ansible_host becomes the host of a URL: a name or an IP address, nothing else (`"$(reboot)"` is neither). */
function addressOf(setting: Setting | undefined, file: string): string | undefined {
  if (!setting || isHostAddress(setting.value)) return setting?.value;
  throw new ConfigError({ file, line: setting.line, field: 'ansible_host' }, `${JSON.stringify(setting.value)} is not a host name or IP address${templateHint(setting)}`);
}

function portOf(setting: Setting | undefined, file: string): number {
  if (!setting) return KOLLA_DEFAULT_PORT;
  const port = /^\d+$/.test(setting.value) ? Number(setting.value) : NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new ConfigError({ file, line: setting.line, field: 'glance_api_port' }, `${JSON.stringify(setting.value)} is not a port number (1-65535)${templateHint(setting, 'a number')}`);
}

function templateHint(setting: Setting, wanted = 'an address'): string {
  return setting.value.includes('{{') ? `: glance-cache does not evaluate Jinja templates; set it to ${wanted}` : '';
}

/** Hosts of a group and of all its descendants; a group met again on the way down is a cycle. */
function membersOf(name: string, groups: Map<string, Group>, file: string, path: string[]): Set<string> {
  const group = groups.get(name);
  const members = new Set(group?.hosts ?? []);
  for (const child of group?.children ?? []) {
    if (child.name === name || path.includes(child.name)) {
      throw new ConfigError({ file, line: child.line }, `group "${child.name}" contains itself through [${name}:children]`);
    }
    for (const host of membersOf(child.name, groups, file, [...path, name])) members.add(host);
  }
  return members;
}

function parentsOf(groups: Map<string, Group>): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const [name, group] of groups) {
    for (const child of group.children) parents.set(child.name, [...(parents.get(child.name) ?? []), name]);
  }
  return parents;
}

/**
 * Ansible's precedence: group `all`, then every group holding the host, parents before children (by
 * depth, then by name), then the host's own variables.
 */
function effectiveVars(host: Host, holding: string[], groups: Map<string, Group>, parents: Map<string, string[]>): Map<string, Setting> {
  // Groups have no loops here (membersOf refused them), so climbing to the top ends.
  const depth = (group: string): number => Math.max(0, ...(parents.get(group) ?? []).map(depth)) + 1;
  const ordered = holding.map((group) => ({ group, depth: depth(group) })).sort((a, b) => a.depth - b.depth || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  const vars = new Map(groups.get('all')?.vars ?? []);
  for (const { group } of ordered) for (const [key, setting] of groups.get(group)!.vars) vars.set(key, setting);
  for (const [key, setting] of host.vars) vars.set(key, setting);
  return vars;
}

class IniReader {
  private readonly groups = new Map<string, Group>();
  private readonly hosts = new Map<string, Host>();

  constructor(private readonly file: string) {}

  read(text: string): { groups: Map<string, Group>; hosts: Map<string, Host> } {
    // Lines before any header belong to Ansible's implicit group "ungrouped".
    let section = { group: this.group('ungrouped', 1), kind: 'hosts' };
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = index + 1;
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
      if (trimmed.startsWith('[')) {
        const header = /^\[([^\]:\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/.exec(trimmed);
        if (!header) this.fail(line, `${JSON.stringify(trimmed)} is not a section header like [group], [group:children] or [group:vars]`);
        const kind = header[2];
        if (kind !== undefined && kind !== 'children' && kind !== 'vars') this.fail(line, `[${header[1]}:${kind}]: a section is [group], [group:children] or [group:vars]`);
        section = { group: this.group(header[1]!, line), kind: kind ?? 'hosts' };
        return;
      }
      if (section.kind === 'vars') this.variable(trimmed, line, section.group);
      else if (section.kind === 'children') this.child(trimmed, line, section.group);
      else this.hostLine(trimmed, line, section.group);
    });
    return { groups: this.groups, hosts: this.hosts };
  }

  private group(name: string, line: number): Group {
    let group = this.groups.get(name);
    if (!group) {
      group = { line, hosts: [], children: [], vars: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  private variable(text: string, line: number, group: Group): void {
    const equals = text.indexOf('=');
    if (equals <= 0) this.fail(line, `expected key=value in a [group:vars] section, got ${JSON.stringify(text)}`);
    const [value] = this.tokens(text.slice(equals + 1).trim(), line);
    group.vars.set(text.slice(0, equals).trim(), { value: value ?? '', line });
  }

  private child(text: string, line: number, group: Group): void {
    const tokens = this.tokens(text, line);
    if (tokens.length !== 1) this.fail(line, `expected one group name in a [group:children] section, got ${JSON.stringify(text)}`);
    this.group(tokens[0]!, line);
    group.children.push({ name: tokens[0]!, line });
  }

  private hostLine(text: string, line: number, group: Group): void {
    const [pattern, ...assignments] = this.tokens(text, line);
    const vars = new Map<string, Setting>();
    for (const assignment of assignments) {
      const equals = assignment.indexOf('=');
      if (equals <= 0) this.fail(line, `expected key=value after the host name, got ${JSON.stringify(assignment)}`);
      vars.set(assignment.slice(0, equals), { value: assignment.slice(equals + 1), line });
    }
    for (const name of this.expand(withoutPort(pattern!), line)) {
      const host = this.hosts.get(name) ?? { line, vars: new Map() };
      // A host listed again merges its variables, the later line winning, as Ansible does.
      for (const [key, setting] of vars) host.vars.set(key, setting);
      this.hosts.set(name, host);
      if (!group.hosts.includes(name)) group.hosts.push(name);
    }
  }

  /** Ansible's host ranges: "control[01:03]", "node[a:c]", "web[1:9:2]"; several ranges multiply. */
  private expand(pattern: string, line: number): string[] {
    const match = /^([^[]*)\[([^\]]*)\](.*)$/.exec(pattern);
    if (!match) {
      if (/[[\]]/.test(pattern)) this.fail(line, `${JSON.stringify(pattern)} has an unbalanced "[" or "]"`);
      return [pattern];
    }
    const [head, range, tail] = [match[1]!, match[2]!, match[3]!];
    const bounds = range.split(':');
    if (bounds.length < 2 || bounds.length > 3) this.fail(line, `${JSON.stringify(pattern)}: a host range is [start:end] or [start:end:step]`);
    const [start = '', end = '', stepText = '1'] = bounds;
    const step = /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) this.fail(line, `${JSON.stringify(pattern)}: the step must be a whole number from 1`);
    const values = this.rangeValues(start === '' ? '0' : start, end, step, pattern, line);
    if (values.length > MAX_HOSTS) this.fail(line, `${JSON.stringify(pattern)} stands for more than ${MAX_HOSTS} hosts`);
    return values.flatMap((value) => this.expand(`${head}${value}${tail}`, line));
  }

  private rangeValues(start: string, end: string, step: number, pattern: string, line: number): string[] {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    if (/^[A-Za-z]$/.test(start) && /^[A-Za-z]$/.test(end)) {
      const [first, last] = [letters.indexOf(start), letters.indexOf(end)];
      if (first > last) this.fail(line, `${JSON.stringify(pattern)}: range ${start}:${end} is reversed`);
      return [...letters.slice(first, last + 1)].filter((_, index) => index % step === 0);
    }
    if (!/^\d+$/.test(start) || !/^\d+$/.test(end)) this.fail(line, `${JSON.stringify(pattern)}: ${start}:${end} is not a range of numbers or of letters`);
    // A start written with leading zeros sets the width of every number, and the end must match it.
    const width = start.length > 1 && start.startsWith('0') ? start.length : 0;
    if (width && end.length !== width) this.fail(line, `${JSON.stringify(pattern)}: ${start} and ${end} must have the same number of digits`);
    const [first, last] = [Number(start), Number(end)];
    if (first > last) this.fail(line, `${JSON.stringify(pattern)}: range ${start}:${end} is reversed`);
    if ((last - first) / step >= MAX_HOSTS) this.fail(line, `${JSON.stringify(pattern)} stands for more than ${MAX_HOSTS} hosts`);
    const values: string[] = [];
    for (let value = first; value <= last; value += step) values.push(String(value).padStart(width, '0'));
    return values;
  }

  /** Words as Ansible's shlex split reads them: quotes group and are removed, "#" starts a comment. */
  private tokens(text: string, line: number): string[] {
    const tokens: string[] = [];
    let current: string | null = null;
    let quote: string | null = null;
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (quote) {
        if (char === quote) quote = null;
        else if (char === '\\' && quote === '"' && i + 1 < text.length) current += text[++i]!;
        else current += char;
      } else if (char === '"' || char === "'") {
        quote = char;
        current ??= '';
      } else if (/\s/.test(char)) {
        if (current !== null) tokens.push(current);
        current = null;
      } else if (char === '#' && current === null) {
        break;
      } else {
        current = (current ?? '') + char;
      }
    }
    if (quote) this.fail(line, `unclosed ${quote} quote`);
    if (current !== null) tokens.push(current);
    return tokens;
  }

  private fail(line: number, reason: string): never {
    throw new ConfigError({ file: this.file, line }, reason);
  }
}

/** "node1:2222" names node1 (the port is ssh's); a colon inside a range ("[01:03]") is not a port. */
function withoutPort(pattern: string): string {
  const match = /^(.*[^:]):(\d+)$/.exec(pattern);
  if (!match) return pattern;
  const head = match[1]!;
  const outsideBrackets = head.replace(/\[[^\]]*\]/g, '');
  // More colons outside brackets make an IPv6 address; an open bracket, a range like "[1:3".
  return /[:[]/.test(outsideBrackets) ? pattern : head;
}
