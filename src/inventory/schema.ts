/**
 * The inventory schema: plain data (from YAML, JSON or a JS config) to an Inventory with every default
 * applied. Strict: an unknown field is an error, since a misspelt `timout:` silently ignored is worse.
 */
import { isIP } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, formatLocation, type SourceLocation } from '../errors.js';
import { parseSize, parseTimeout } from '../core/units.js';
import { splitHostPort, urlHost } from './host.js';
import { matchTerm } from './match.js';
import { expandNodeSet, foldNodeSet, NodeSetError, splitTerms } from './nodeset.js';
import { closestWord } from './suggest.js';
import { normalizeServiceUrl } from './url.js';
import type { Inventory, InventoryAuth, NodeSpec } from './types.js';

/** Where each field was written; a JS config has no lines, so lineOf answers undefined. */
export interface FieldLocator {
  file: string;
  lineOf(field: string): number | undefined;
}

export interface SchemaOptions {
  /** For "~/" in cacert paths. */
  home?: string | undefined;
  /** The hosts of each `include:` entry ("kolla:PATH"), read by the caller: the schema does no I/O. */
  included?: ReadonlyMap<string, readonly ForeignHost[]> | undefined;
}

/** A glance-api host from another tool's inventory (kolla-ansible, openstack-ansible), named and addressed there. */
export interface ForeignHost {
  name: string;
  /** Host name or IP address its glance-api listens on. */
  address: string;
  port: number;
  /** Where the other tool's file declares it. */
  at: SourceLocation;
}

const DEFAULT_PORT = 9292;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const NAME = /^[A-Za-z0-9._-]+$/;

const TOP_FIELDS = ['nodes', 'include', 'defaults', 'groups', 'auth', 'images_url', 'protect'];
const NODE_SETTINGS = ['labels', 'timeout', 'connect_timeout', 'max_size', 'cacert', 'insecure', 'images_url'];
const ADDRESS_SETTINGS = ['port', 'scheme', 'prefix'];
const ENTRY_FIELDS = ['name', 'url', ...NODE_SETTINGS];
const HOST_FIELDS = ['host', ...ADDRESS_SETTINGS, ...NODE_SETTINGS];
const DEFAULT_FIELDS = [...ADDRESS_SETTINGS, 'timeout', 'connect_timeout', 'max_size', 'cacert', 'insecure'];

type Fields = Record<string, unknown>;

/** A node before names are settled: host-form names depend on every other node (see settleNames). */
interface DraftNode {
  name?: string;
  host?: string;
  url: string;
  field: string;
  settings: Omit<NodeSpec, 'name' | 'url' | 'at'>;
  /** Set for included hosts: errors about them point into the other tool's file. */
  at?: SourceLocation;
}

export function buildInventory(data: unknown, where: FieldLocator, options: SchemaOptions = {}): Inventory {
  return new SchemaReader(where, options).inventory(data);
}

class SchemaReader {
  constructor(
    private readonly where: FieldLocator,
    private readonly options: SchemaOptions,
  ) {}

  inventory(data: unknown): Inventory {
    if (data === null || data === undefined) {
      throw new ConfigError({ file: this.where.file }, 'is empty: an inventory needs a "nodes:" list');
    }
    const top = this.map(data, '');
    this.checkFields(top, '', TOP_FIELDS);
    if (top.nodes === undefined && top.include === undefined) this.fail('nodes', 'is missing: list the glance-api nodes');
    const defaults = top.defaults === undefined ? {} : this.map(top.defaults, 'defaults');
    this.checkFields(defaults, 'defaults', DEFAULT_FIELDS);
    const entries = top.nodes === undefined ? [] : this.list(top.nodes, 'nodes');
    const included = top.include === undefined ? [] : this.included(top.include, defaults);
    if (entries.length + included.length === 0) this.fail(top.nodes === undefined ? 'include' : 'nodes', 'is empty: list the glance-api nodes');
    const nodes = this.uniqueNodes(settleNames([...entries.flatMap((entry, i) => this.entry(entry, `nodes[${i}]`, defaults)), ...included]));
    return {
      source: this.where.file,
      nodes,
      groups: top.groups === undefined ? {} : this.groups(top.groups, nodes),
      auth: top.auth === undefined ? undefined : this.auth(top.auth),
      protect: top.protect === undefined ? [] : this.protect(top.protect),
      imagesUrl: top.images_url === undefined ? undefined : this.url(top.images_url, 'images_url'),
    };
  }

  private entry(entry: unknown, field: string, defaults: Fields): DraftNode[] {
    if (typeof entry === 'string') return this.hosts(entry, field, field, {}, defaults);
    const fields = this.map(entry, field, 'a host name, or a mapping with "name" and "url" or with "host"');
    if (fields.host !== undefined) {
      if (fields.url !== undefined || fields.name !== undefined) this.fail(field, 'has "host" and "name"/"url": use one form');
      this.checkFields(fields, field, HOST_FIELDS);
      return this.hosts(this.string(fields.host, `${field}.host`), `${field}.host`, field, fields, defaults);
    }
    if (fields.name === undefined && fields.url === undefined) {
      this.checkFields(fields, field, [...ENTRY_FIELDS, ...HOST_FIELDS]);
      this.fail(field, 'needs "name" and "url", or "host"');
    }
    const address = ADDRESS_SETTINGS.find((key) => fields[key] !== undefined);
    if (address) this.fail(`${field}.${address}`, 'is not used with "url": write it into the URL');
    this.checkFields(fields, field, ENTRY_FIELDS);
    if (fields.name === undefined) this.fail(field, 'has a "url" but no "name"');
    if (fields.url === undefined) this.fail(field, 'has a "name" but no "url"');
    const name = this.string(fields.name, `${field}.name`);
    if (!NAME.test(name)) this.fail(`${field}.name`, `${JSON.stringify(name)} may only hold letters, digits, ".", "_" and "-"`);
    return [{ name, url: this.url(fields.url, `${field}.url`), field, settings: this.settings({ fields, defaults, field }) }];
  }

  /**
   * `include: ["kolla:/etc/kolla/multinode"]`: the hosts another tool's inventory deploys glance-api on,
   * keeping their names and ports; scheme, prefix, timeouts and max_size come from defaults.
   */
  private included(value: unknown, defaults: Fields): DraftNode[] {
    const scheme = defaults.scheme === undefined ? 'http' : this.scheme(defaults.scheme, 'defaults.scheme');
    const prefix = defaults.prefix === undefined ? '' : this.prefix(defaults.prefix, 'defaults.prefix');
    return this.list(value, 'include').flatMap((item, i) => {
      const field = `include[${i}]`;
      const expected = 'another tool\'s inventory: "kolla:PATH" (kolla-ansible) or "osa:PATH" (openstack-ansible)';
      const hosts = this.options.included?.get(this.string(item, field, expected));
      if (!hosts) this.fail(field, `${JSON.stringify(item)} is not ${expected}`);
      if (hosts.length === 0) this.fail(field, `${JSON.stringify(item)} has no glance-api hosts`);
      const settings = this.settings({ fields: {}, defaults, field });
      return hosts.map((host): DraftNode => {
        if (!NAME.test(host.name)) throw new ConfigError(host.at, `host ${JSON.stringify(host.name)}: a node name may only hold letters, digits, ".", "_" and "-"`);
        const url = normalizeServiceUrl(`${scheme}://${urlHost(host.address)}:${host.port}${prefix}`);
        if ('problem' in url) throw new ConfigError(host.at, `host ${host.name}: address ${JSON.stringify(host.address)} does not make a URL`);
        return { name: host.name, url: url.url, field, settings, at: host.at };
      });
    });
  }

  /** "glance[02-06].dc1.example.net" and {host: ...}: one node per host; address parts from the entry, then defaults. */
  private hosts(expression: string, field: string, entryField: string, fields: Fields, defaults: Fields): DraftNode[] {
    if (expression.includes('://')) this.fail(field, `${JSON.stringify(expression)} is a URL: write it as {name: ..., url: ...}`);
    let hosts: string[];
    try {
      hosts = expandNodeSet(expression);
    } catch (error) {
      if (error instanceof NodeSetError) this.fail(field, error.message);
      throw error;
    }
    const entry: EntrySettings = { fields, defaults, field: entryField };
    const settings = this.settings(entry);
    const scheme = inherit(entry, 'scheme', (value, at) => this.scheme(value, at)) ?? 'http';
    const entryPort = inherit(entry, 'port', (value, at) => this.port(value, at)) ?? DEFAULT_PORT;
    const prefix = inherit(entry, 'prefix', (value, at) => this.prefix(value, at)) ?? '';
    return hosts.map((text) => {
      const address = splitHostPort(text);
      if (!address) this.fail(field, `${JSON.stringify(text)} is not a host name, IP address, host:port or [IPv6]:port`);
      const { host, port } = address;
      const hostPort = port === undefined ? entryPort : this.port(port, field);
      return { host, url: this.url(`${scheme}://${urlHost(host)}:${hostPort}${prefix}`, field), field: entryField, settings };
    });
  }

  private settings(entry: EntrySettings): DraftNode['settings'] {
    const { fields, field } = entry;
    return {
      labels: fields.labels === undefined ? {} : this.labels(fields.labels, `${field}.labels`),
      timeoutMs: inherit(entry, 'timeout', (value, at) => this.duration(value, at)) ?? DEFAULT_TIMEOUT_MS,
      connectTimeoutMs: inherit(entry, 'connect_timeout', (value, at) => this.duration(value, at)) ?? DEFAULT_CONNECT_TIMEOUT_MS,
      maxSizeBytes: inherit(entry, 'max_size', (value, at) => this.size(value, at)),
      caFile: inherit(entry, 'cacert', (value, at) => this.path(value, at)),
      insecure: inherit(entry, 'insecure', (value, at) => this.boolean(value, at)),
      imagesUrl: fields.images_url === undefined ? undefined : this.url(fields.images_url, `${field}.images_url`),
    };
  }

  /** Duplicate names or URLs are errors naming both places: one node listed twice would be acted on twice. */
  private uniqueNodes(drafts: (DraftNode & { name: string })[]): NodeSpec[] {
    const byName = new Map<string, DraftNode>();
    const byUrl = new Map<string, DraftNode>();
    return drafts.map((draft) => {
      const at = draft.at ?? this.at(draft.field);
      const sameName = byName.get(draft.name);
      if (sameName) throw new ConfigError(at, `duplicate node name ${JSON.stringify(draft.name)}: ${this.alsoAt(sameName)}`);
      const sameUrl = byUrl.get(draft.url);
      if (sameUrl) throw new ConfigError(at, `duplicate node URL ${draft.url}: ${this.alsoAt(sameUrl)}`);
      byName.set(draft.name, draft);
      byUrl.set(draft.url, draft);
      // Nodes of one range share their settings: each gets its own labels to change.
      return { name: draft.name, url: draft.url, ...draft.settings, labels: { ...draft.settings.labels }, at };
    });
  }

  private alsoAt(draft: DraftNode): string {
    if (draft.at) return `also at ${formatLocation(draft.at).slice(0, -1)}`;
    const line = this.where.lineOf(draft.field);
    return line === undefined ? `also in ${draft.field}` : `also in ${draft.field} at line ${line}`;
  }

  private groups(value: unknown, nodes: NodeSpec[]): Record<string, string[]> {
    const groups: Record<string, string[]> = {};
    const nodeNames = new Set(nodes.map((node) => node.name));
    for (const [group, members] of Object.entries(this.map(value, 'groups'))) {
      const field = `groups.${group}`;
      if (!NAME.test(group)) this.fail(field, 'a group name may only hold letters, digits, ".", "_" and "-"');
      if (nodeNames.has(group)) this.fail(field, `${JSON.stringify(group)} is also a node name: rename the group`);
      const expressions = Array.isArray(members)
        ? members.map((member, i) => ({ expression: this.string(member, `${field}[${i}]`), field: `${field}[${i}]` }))
        : [{ expression: this.string(members, field, 'a node set like "glance[01-03]" or a list of names'), field }];
      if (expressions.length === 0) this.fail(field, 'is empty');
      const names = new Set<string>();
      for (const { expression, field: memberField } of expressions) {
        for (const term of splitTerms(expression)) {
          if (term.startsWith('@')) this.fail(memberField, `${JSON.stringify(term)}: a group cannot include another group`);
          const match = matchTerm(term, nodes, {});
          if ('problem' in match) {
            const known = match.about === 'nodes' ? `; nodes: ${foldNodeSet(nodes.map((node) => node.name))}` : '';
            this.fail(memberField, `${JSON.stringify(term)} ${match.problem}${known}`);
          }
          for (const name of match.names) names.add(name);
        }
      }
      groups[group] = nodes.filter((node) => names.has(node.name)).map((node) => node.name);
    }
    return groups;
  }

  private auth(value: unknown): InventoryAuth {
    return { settings: this.map(value, 'auth'), at: this.at('auth') };
  }

  private protect(value: unknown): string[] {
    return this.list(value, 'protect').map((item, i) => this.string(item, `protect[${i}]`, 'an image ID or name'));
  }

  private labels(value: unknown, field: string): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [key, label] of Object.entries(this.map(value, field))) {
      if (!/^[A-Za-z0-9._/-]+$/.test(key)) this.fail(`${field}.${key}`, 'a label name may only hold letters, digits, ".", "_", "/" and "-"');
      if (!['string', 'number', 'boolean'].includes(typeof label)) this.fail(`${field}.${key}`, 'a label value must be a string');
      labels[key] = String(label);
    }
    return labels;
  }

  private url(value: unknown, field: string): string {
    const normalized = normalizeServiceUrl(this.string(value, field, 'an http(s) URL'));
    if ('problem' in normalized) this.fail(field, normalized.problem);
    return normalized.url;
  }

  private scheme(value: unknown, field: string): string {
    if (value !== 'http' && value !== 'https') this.fail(field, `${JSON.stringify(value)} is not http or https`);
    return value;
  }

  private port(value: unknown, field: string): number {
    const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      this.fail(field, `${JSON.stringify(value)} is not a port number (1-65535)`);
    }
    return port;
  }

  /** "/glance", "glance/" and "glance" all mean the same path prefix. */
  private prefix(value: unknown, field: string): string {
    const prefix = this.string(value, field, 'a URL path like /glance', true).replace(/^\/+|\/+$/g, '');
    if (/[?#\s]/.test(prefix)) this.fail(field, `${JSON.stringify(value)} is not a URL path`);
    return prefix === '' ? '' : `/${prefix}`;
  }

  private duration(value: unknown, field: string): number {
    return this.convert(() => parseTimeout(value as string | number), value, field, 'a duration like 10s, up to 1d');
  }

  private size(value: unknown, field: string): number {
    return this.convert(() => parseSize(value as string | number), value, field, 'a size like 100GiB');
  }

  private convert(parse: () => number, value: unknown, field: string, expected: string): number {
    if (typeof value !== 'string' && typeof value !== 'number') this.fail(field, `must be ${expected}`);
    try {
      return parse();
    } catch (error) {
      this.fail(field, (error as Error).message);
    }
  }

  private boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value;
  }

  /** Relative paths are relative to the inventory, so it works from any directory. */
  private path(value: unknown, field: string): string {
    const path = this.string(value, field, 'a file path');
    if (path.startsWith('~/') && this.options.home) return join(this.options.home, path.slice(2));
    return isAbsolute(path) ? path : resolve(dirname(this.where.file), path);
  }

  private string(value: unknown, field: string, expected = 'a string', emptyAllowed = false): string {
    if (typeof value !== 'string') this.fail(field, `must be ${expected}`);
    if (!emptyAllowed && value.trim() === '') this.fail(field, `is empty: it must be ${expected}`);
    return value;
  }

  private map(value: unknown, field: string, expected = 'a mapping'): Fields {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(field, field === '' ? 'an inventory must be a mapping with a "nodes:" list' : `must be ${expected}`);
    }
    return value as Fields;
  }

  private list(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'must be a list');
    return value;
  }

  private checkFields(fields: Fields, parent: string, allowed: readonly string[]): void {
    for (const key of Object.keys(fields)) {
      if (allowed.includes(key) || fields[key] === undefined) continue;
      const guess = closestWord(key, allowed);
      const hint = guess ? `did you mean "${guess}"?` : `expected one of ${allowed.join(', ')}`;
      this.fail(parent ? `${parent}.${key}` : key, `unknown field; ${hint}`);
    }
  }

  /** The line is found when first read: finding lines costs a second parse of the file (parse.ts). */
  private at(field: string): NodeSpec['at'] {
    const { where } = this;
    return {
      file: where.file,
      get line() {
        return where.lineOf(field);
      },
      field,
    };
  }

  private fail(field: string, reason: string): never {
    throw new ConfigError(this.at(field), reason);
  }
}

/**
 * Host-form nodes are named by the host's first DNS label ("glance02" for glance02.dc1.example.net) when
 * that is unambiguous across the whole inventory (distinct from each other and from explicit names);
 * otherwise every host-form node keeps its full host name, so names never depend on entry order. IP
 * addresses are never shortened ("10" names nothing) and are named without brackets: "[fe80::1]" is fe80::1.
 */
interface EntrySettings {
  fields: Fields;
  defaults: Fields;
  /** The entry's field path, "nodes[2]". */
  field: string;
}

/** A setting from the entry, else from defaults, read with the field it came from so errors point there. */
function inherit<T>(entry: EntrySettings, key: string, read: (value: unknown, field: string) => T): T | undefined {
  if (entry.fields[key] !== undefined) return read(entry.fields[key], `${entry.field}.${key}`);
  if (entry.defaults[key] !== undefined) return read(entry.defaults[key], `defaults.${key}`);
  return undefined;
}

function settleNames(drafts: DraftNode[]): (DraftNode & { name: string })[] {
  const short = (host: string): string => (isIP(host) !== 0 ? host : host.split('.')[0]!);
  const explicit = new Set(drafts.flatMap((draft) => (draft.name === undefined ? [] : [draft.name])));
  const shortNames = drafts.flatMap((draft) => (draft.host === undefined ? [] : [short(draft.host)]));
  const shorten = new Set(shortNames).size === shortNames.length && !shortNames.some((name) => explicit.has(name));
  return drafts.map((draft) => ({ ...draft, name: draft.name ?? (shorten ? short(draft.host!) : draft.host!) }));
}
