/**
 * Finding and reading the inventory (docs/architecture.md, "Inventory and configuration"): -i, else GLANCE_CACHE_INVENTORY, else a search from
 * the working directory up, else the user's and the system's config directories.
 * Configuration is data unless the operator chose code: a JavaScript inventory is loaded when given (-i,
 * GLANCE_CACHE_INVENTORY) or from the user's own config directory, never found by the search; and what
 * glance-cache finds by itself is used only if no one but its user or root could have written it (./trust.ts).
 * The parsers load lazily: `--version` and completion must not pay for them (docs/architecture.md, "Start-up").
 */
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { fileErrorReason, readConfigFile, statConfigFile, type FileFacts } from './config-file.js';
import { secretExposureWarning } from './exposure.js';
import type { FieldLocator, ForeignHost } from './schema.js';
import { foundFileRefusal } from './trust.js';
import type { Inventory } from './types.js';

export interface InventoryFiles {
  /** A regular file's text, refusing anything else and anything too large (./config-file.ts). */
  readFile(path: string): Promise<{ text: string; facts: FileFacts }>;
  /** Owner and mode of a file or directory, or undefined when nothing is there. */
  stat(path: string): Promise<FileFacts | undefined>;
}

export interface LoadInventoryOptions {
  /** The -i/--inventory value: a path, or "kolla:PATH" / "osa:PATH" for another tool's inventory. */
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  files?: InventoryFiles | undefined;
}

export type InventoryOrigin = 'flag' | 'env' | 'search' | 'user' | 'system';

export interface LoadedInventory {
  inventory: Inventory;
  /** Absolute path of the file read. */
  path: string;
  how: InventoryOrigin;
  /** For the caller to print, e.g. a secret in a world-readable file. */
  warnings: string[];
}

export const INVENTORY_ENV = 'GLANCE_CACHE_INVENTORY';
const MODULE_NAME = 'glance-cache';
const SYSTEM_DIR = '/etc/glance-cache';
const INVENTORY_FILES = ['inventory.yaml', 'inventory.yml', 'inventory.json'];
/** Only the user's own directory may hold code: the system one is data, like the search. */
const USER_FILES = [...INVENTORY_FILES, 'inventory.js', 'inventory.cjs', 'inventory.mjs'];
/** Data only: a file found here may have been put there by someone else (glance-cache.config.js no longer counts). */
const SEARCH_PLACES = ['package.json', `.${MODULE_NAME}rc`, `.${MODULE_NAME}rc.yaml`, `.${MODULE_NAME}rc.yml`, `.${MODULE_NAME}rc.json`];
const JS_EXTENSIONS = ['.js', '.cjs', '.mjs'];
const TRUST_HINT = 'give the inventory with -i if you trust it';

interface ReadContext {
  files: InventoryFiles;
  home: string;
  /** Whether anyone needs the line of each field (see readInventory). */
  lines: boolean;
  /** The inventory was found, not given: it and every file it includes must pass the trust checks. */
  found: boolean;
}

/** Reads an inventory at a path, given as -i or in the environment as "PREFIX:PATH". */
type FormatReader = (path: string, display: string, context: ReadContext) => Promise<Inventory>;

type HostParser = (text: string, file: string) => ForeignHost[];

/** Other tools' inventories, by prefix ("kolla:PATH"): the hosts each deploys glance-api on. */
const HOST_PARSERS: Record<string, () => Promise<HostParser>> = {
  kolla: async () => (await import('./kolla.js')).parseKollaInventory,
  osa: async () => (await import('./osa.js')).parseOsaInventory,
};

const PREFIXED = /^([a-z]+):(.+)$/;

/** -i "kolla:PATH" reads as an inventory that includes PATH and nothing else; a path without a known prefix is glance-cache's own format. */
const READERS_BY_PREFIX: Record<string, FormatReader> = Object.fromEntries(
  Object.keys(HOST_PARSERS).map((prefix): [string, FormatReader] => [
    prefix,
    async (path, display, context) => {
      const hosts = await readHosts(prefix, path, display.slice(prefix.length + 1), context);
      return buildWithIncludes({ include: [display] }, { file: display, lineOf: () => undefined }, new Map([[display, hosts]]), context);
    },
  ]),
);

/** Where the inventory is, found without reading it (completion keys its cache on the file, src/complete). */
export interface InventoryLocation {
  /** Absolute path of the file to read. */
  path: string;
  /** How errors name it: the path as given, or the -i value with its prefix. */
  display: string;
  how: InventoryOrigin;
  /** Another tool's format, from a "kolla:" / "osa:" prefix. */
  format?: string | undefined;
}

export async function loadInventory(options: LoadInventoryOptions): Promise<LoadedInventory> {
  return readInventory(await locateInventory(options), options);
}

export async function locateInventory(options: LoadInventoryOptions): Promise<InventoryLocation> {
  const files = options.files ?? diskFiles;
  const envValue = options.env[INVENTORY_ENV];
  if (options.flag !== undefined) return locateGiven(options.flag, 'flag', '-i/--inventory', options.cwd, files);
  if (envValue) return locateGiven(envValue, 'env', INVENTORY_ENV, options.cwd, files);

  const searched = await searchUpward(options.cwd, options.home, files);
  if (searched) return { path: searched, display: searched, how: 'search' };
  const configHome = options.env.XDG_CONFIG_HOME && isAbsolute(options.env.XDG_CONFIG_HOME)
    ? options.env.XDG_CONFIG_HOME
    : join(options.home, '.config');
  const userDir = join(configHome, MODULE_NAME);
  const places: [InventoryOrigin, string][] = [
    ...USER_FILES.map((name): [InventoryOrigin, string] => ['user', join(userDir, name)]),
    ...INVENTORY_FILES.map((name): [InventoryOrigin, string] => ['system', join(SYSTEM_DIR, name)]),
  ];
  for (const [how, path] of places) {
    if ((await statOf(path, path, files)) !== undefined) return { path, display: path, how };
  }
  throw new ConfigError(
    { file: 'inventory' },
    `none found: give -i PATH or set ${INVENTORY_ENV}; searched ${SEARCH_PLACES.join(', ')} from ${options.cwd} up to ` +
      `${searchStop(options.cwd, options.home)}, then ${userDir}/ for ${USER_FILES.join(', ')} and ${SYSTEM_DIR}/ for ${INVENTORY_FILES.join(', ')}`,
  );
}

/** Completion never runs an inventory's code: it offers nothing for a JavaScript one. */
export function isJavaScriptInventory(location: InventoryLocation): boolean {
  return location.format === undefined && JS_EXTENSIONS.includes(extname(location.path));
}

/**
 * `lines: false` is for readers that never show an error or a location (shell completion): the text is
 * parsed without recording where each field is, unless that fails, in which case the errors are
 * exactly the located ones of a full read.
 */
export async function readInventory(location: InventoryLocation, options: Pick<LoadInventoryOptions, 'home' | 'files'> & { lines?: boolean }): Promise<LoadedInventory> {
  const context: ReadContext = {
    files: options.files ?? diskFiles,
    home: options.home,
    lines: options.lines ?? true,
    found: location.how !== 'flag' && location.how !== 'env',
  };
  const reader = location.format === undefined ? undefined : READERS_BY_PREFIX[location.format];
  if (reader) return { inventory: await reader(location.path, location.display, context), path: location.path, how: location.how, warnings: [] };
  return loadFile(location.path, location.display, location.how, context);
}

async function locateGiven(given: string, how: 'flag' | 'env', origin: string, cwd: string, files: InventoryFiles): Promise<InventoryLocation> {
  if (given.trim() === '') throw new ConfigError({ file: origin }, 'is empty: give the path of an inventory');
  const prefixed = PREFIXED.exec(given);
  if (prefixed && READERS_BY_PREFIX[prefixed[1]!]) return { path: resolve(cwd, prefixed[2]!), display: given, how, format: prefixed[1]! };
  const path = resolve(cwd, given);
  if ((await statOf(path, given, files)) === undefined) throw new ConfigError({ file: given }, `no such file (from ${origin})`);
  return { path, display: given, how };
}

/** glance-cache's own format: YAML/JSON, package.json's "glance-cache" key, or a JS module exporting the same data. */
async function loadFile(path: string, display: string, how: InventoryOrigin, context: ReadContext): Promise<LoadedInventory> {
  const { inventory, facts } = JS_EXTENSIONS.includes(extname(path))
    ? await readJsInventory(path, display, context)
    : await readTextInventory(path, display, context);
  const warning = secretExposureWarning(inventory.auth, display, facts.mode);
  return { inventory, path, how, warnings: warning ? [warning] : [] };
}

async function readTextInventory(path: string, display: string, context: ReadContext): Promise<{ inventory: Inventory; facts: FileFacts }> {
  const { text, facts } = await readText(path, display, context);
  return { inventory: await parseTextInventory(text, path, display, context), facts };
}

async function parseTextInventory(text: string, path: string, display: string, context: ReadContext): Promise<Inventory> {
  const key = basename(path) === 'package.json' ? MODULE_NAME : undefined;
  if (!context.lines) {
    try {
      const data = (await import('./plain-yaml.js')).readPlainInventoryText(text, key);
      return await buildWithIncludes(data, { file: display, lineOf: () => undefined }, await readIncludes(data, path, display, context), context);
    } catch {
      // Read again below, for the error with its line.
    }
  }
  const { readInventoryText } = await import('./parse.js');
  const { data, where } = readInventoryText(text, display, key);
  return buildWithIncludes(data, where, await readIncludes(data, path, display, context), context);
}

async function readJsInventory(path: string, display: string, context: ReadContext): Promise<{ inventory: Inventory; facts: FileFacts }> {
  // Read first, though the loader reads it again: a FIFO would hang it, and a found file is checked before any of it runs.
  const { facts } = await readText(path, display, context);
  let exported: unknown;
  try {
    // cosmiconfig loads the module the way its own search would (ESM default export, CommonJS
    // module.exports), but only this file: its upward search reads whatever it meets, so ours does that part.
    const { cosmiconfig } = await import('../lazy/cosmiconfig.js');
    exported = (await cosmiconfig(MODULE_NAME).load(path))?.config;
  } catch (error) {
    throw new ConfigError({ file: display }, `cannot load: ${String((error as Error).message).split('\n')[0]}`);
  }
  const inventory = await buildWithIncludes(exported, { file: display, lineOf: () => undefined }, await readIncludes(exported, path, display, context), context);
  return { inventory, facts };
}

async function buildWithIncludes(data: unknown, where: FieldLocator, included: Map<string, ForeignHost[]>, context: ReadContext): Promise<Inventory> {
  const { buildInventory } = await import('./schema.js');
  return buildInventory(data, where, { home: context.home, included });
}

/**
 * The hosts of each well-formed `include:` entry, its path relative to the including file; the schema
 * reports the malformed ones, with their line.
 */
async function readIncludes(data: unknown, path: string, display: string, context: ReadContext): Promise<Map<string, ForeignHost[]>> {
  const included = new Map<string, ForeignHost[]>();
  const entries = data !== null && typeof data === 'object' ? (data as { include?: unknown }).include : undefined;
  for (const entry of Array.isArray(entries) ? entries : []) {
    const prefixed = typeof entry === 'string' ? PREFIXED.exec(entry) : null;
    if (!prefixed || !HOST_PARSERS[prefixed[1]!] || included.has(entry as string)) continue;
    const given = prefixed[2]!;
    const target = given.startsWith('~/') ? join(context.home, given.slice(2)) : resolve(dirname(path), given);
    included.set(entry as string, await readHosts(prefixed[1]!, target, target, context, ` (included by ${display})`));
  }
  return included;
}

async function readHosts(prefix: string, path: string, shown: string, context: ReadContext, origin = ''): Promise<ForeignHost[]> {
  const { text } = await readText(path, shown, context, origin);
  return (await HOST_PARSERS[prefix]!())(text, shown);
}

/** A file's text, checked like the inventory it belongs to. */
async function readText(path: string, shown: string, context: ReadContext, origin = ''): Promise<{ text: string; facts: FileFacts }> {
  let read: { text: string; facts: FileFacts };
  try {
    read = await context.files.readFile(path);
  } catch (error) {
    throw new ConfigError({ file: shown }, `cannot read: ${fileErrorReason(error)}${origin}`);
  }
  await checkTrust(path, shown, read.facts, context);
  return read;
}

/** Refuses a found file that someone other than the running user or root could have written (./trust.ts). */
async function checkTrust(path: string, shown: string, facts: FileFacts, context: ReadContext): Promise<void> {
  if (!context.found) return;
  const reason = await foundFileRefusal(path, facts, TRUST_HINT, (dir) => statOf(dir, dir, context.files));
  if (reason) throw new ConfigError({ file: shown }, reason);
}

/**
 * The first search place that exists, from cwd up: an empty .glance-cacherc was put there on purpose and
 * is reported rather than skipped. package.json counts only when it has a "glance-cache" key.
 */
async function searchUpward(cwd: string, home: string, files: InventoryFiles): Promise<string | undefined> {
  for (const dir of searchDirs(cwd, home)) {
    for (const name of SEARCH_PLACES) {
      const path = join(dir, name);
      const facts = await statOf(path, path, files);
      if (facts === undefined || facts.directory) continue;
      if (name !== 'package.json' || (await mentionsUs(path, files))) return path;
    }
  }
  return undefined;
}

async function mentionsUs(path: string, files: InventoryFiles): Promise<boolean> {
  let text: string;
  try {
    ({ text } = await files.readFile(path));
  } catch (error) {
    throw new ConfigError({ file: path }, `cannot read: ${fileErrorReason(error)}`);
  }
  try {
    const data = JSON.parse(text) as Record<string, unknown> | null;
    return typeof data === 'object' && data?.[MODULE_NAME] !== undefined;
  } catch {
    // Broken JSON that mentions us is ours: parse.ts reports where it breaks.
    return text.includes(`"${MODULE_NAME}"`);
  }
}

/** From cwd up to the home directory when cwd is inside it, else up to the root. */
function searchDirs(cwd: string, home: string): string[] {
  const dirs = [resolve(cwd)];
  const stop = searchStop(cwd, home);
  while (dirs.at(-1) !== stop) dirs.push(dirname(dirs.at(-1)!));
  return dirs;
}

function searchStop(cwd: string, home: string): string {
  const start = resolve(cwd);
  const homeDir = resolve(home);
  return start === homeDir || start.startsWith(`${homeDir}/`) ? homeDir : resolve('/');
}

async function statOf(path: string, display: string, files: InventoryFiles): Promise<FileFacts | undefined> {
  try {
    return await files.stat(path);
  } catch (error) {
    throw new ConfigError({ file: display }, `cannot read: ${fileErrorReason(error)}`);
  }
}

export const diskFiles: InventoryFiles = { readFile: readConfigFile, stat: statConfigFile };
