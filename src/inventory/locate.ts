/**
 * Finding and reading the inventory (design.md §4): -i, else GLANCE_CACHE_INVENTORY, else a cosmiconfig
 * search from the working directory up, else the user's and the system's config directories.
 * The parsers and cosmiconfig load lazily: `--version` and completion must not pay for them (design.md §8).
 */
import { readFile as readFileFromDisk, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { secretExposureWarning } from './exposure.js';
import type { FieldLocator, ForeignHost } from './schema.js';
import type { Inventory } from './types.js';

export interface InventoryFiles {
  readFile(path: string): Promise<string>;
  /** Permission bits, or undefined when nothing is there. */
  fileMode(path: string): Promise<number | undefined>;
}

export interface LoadInventoryOptions {
  /** The -i/--inventory value: a path, or "kolla:PATH" / "osa:PATH" for another tool's inventory. */
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  files?: InventoryFiles | undefined;
  /** How a JavaScript inventory is loaded: import() unless the caller has its own (bin/ does). */
  importModule?: ((specifier: string) => Promise<unknown>) | undefined;
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
const SEARCH_PLACES = [
  'package.json',
  `.${MODULE_NAME}rc`,
  `.${MODULE_NAME}rc.yaml`,
  `.${MODULE_NAME}rc.yml`,
  `.${MODULE_NAME}rc.json`,
  `.${MODULE_NAME}rc.js`,
  `.${MODULE_NAME}rc.cjs`,
  `.${MODULE_NAME}rc.mjs`,
  `${MODULE_NAME}.config.js`,
  `${MODULE_NAME}.config.cjs`,
  `${MODULE_NAME}.config.mjs`,
];
const JS_EXTENSIONS = ['.js', '.cjs', '.mjs'];

interface ReadContext {
  files: InventoryFiles;
  home: string;
  /** Whether anyone needs the line of each field (see readInventory). */
  lines: boolean;
  importModule: (specifier: string) => Promise<unknown>;
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

  const searched = await searchUpward(options.cwd, options.home);
  if (searched) return { path: searched, display: searched, how: 'search' };
  const configHome = options.env.XDG_CONFIG_HOME && isAbsolute(options.env.XDG_CONFIG_HOME)
    ? options.env.XDG_CONFIG_HOME
    : join(options.home, '.config');
  const places: [InventoryOrigin, string][] = [
    ...INVENTORY_FILES.map((name): [InventoryOrigin, string] => ['user', join(configHome, MODULE_NAME, name)]),
    ...INVENTORY_FILES.map((name): [InventoryOrigin, string] => ['system', join(SYSTEM_DIR, name)]),
  ];
  for (const [how, path] of places) {
    if ((await modeOf(path, path, files)) !== undefined) return { path, display: path, how };
  }
  throw new ConfigError(
    { file: 'inventory' },
    `none found: give -i PATH or set ${INVENTORY_ENV}; searched ${SEARCH_PLACES.join(', ')} from ${options.cwd} up to ` +
      `${searchStop(options.cwd, options.home)}, then ${join(configHome, MODULE_NAME)}/ and ${SYSTEM_DIR}/ for ${INVENTORY_FILES.join(', ')}`,
  );
}

/**
 * `lines: false` is for readers that never show an error or a location (shell completion): the text is
 * parsed without recording where each field is, unless that fails, in which case the errors are
 * exactly the located ones of a full read.
 */
export async function readInventory(location: InventoryLocation, options: Pick<LoadInventoryOptions, 'home' | 'files' | 'importModule'> & { lines?: boolean }): Promise<LoadedInventory> {
  const context: ReadContext = { files: options.files ?? diskFiles, home: options.home, lines: options.lines ?? true, importModule: options.importModule ?? ((specifier) => import(specifier)) };
  const reader = location.format === undefined ? undefined : READERS_BY_PREFIX[location.format];
  if (reader) return { inventory: await reader(location.path, location.display, context), path: location.path, how: location.how, warnings: [] };
  return loadFile(location.path, location.display, location.how, context);
}

async function locateGiven(given: string, how: 'flag' | 'env', origin: string, cwd: string, files: InventoryFiles): Promise<InventoryLocation> {
  if (given.trim() === '') throw new ConfigError({ file: origin }, 'is empty: give the path of an inventory');
  const prefixed = PREFIXED.exec(given);
  if (prefixed && READERS_BY_PREFIX[prefixed[1]!]) return { path: resolve(cwd, prefixed[2]!), display: given, how, format: prefixed[1]! };
  const path = resolve(cwd, given);
  if ((await modeOf(path, given, files)) === undefined) throw new ConfigError({ file: given }, `no such file (from ${origin})`);
  return { path, display: given, how };
}

/** glance-cache's own format: YAML/JSON, package.json's "glance-cache" key, or a JS module exporting the same data. */
async function loadFile(path: string, display: string, how: InventoryOrigin, context: ReadContext): Promise<LoadedInventory> {
  const inventory = JS_EXTENSIONS.includes(extname(path))
    ? await readJsInventory(path, display, context)
    : await readTextInventory(path, display, context);
  const mode = await modeOf(path, display, context.files);
  const warning = mode === undefined ? undefined : secretExposureWarning(inventory.auth, display, mode);
  return { inventory, path, how, warnings: warning ? [warning] : [] };
}

async function readTextInventory(path: string, display: string, context: ReadContext): Promise<Inventory> {
  let text: string;
  try {
    text = await context.files.readFile(path);
  } catch (error) {
    throw new ConfigError({ file: display }, `cannot read: ${fileErrorReason(error)}`);
  }
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

async function readJsInventory(path: string, display: string, context: ReadContext): Promise<Inventory> {
  let exported: unknown;
  try {
    exported = ((await context.importModule(pathToFileURL(path).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new ConfigError({ file: display }, `cannot load: ${String((error as Error).message).split('\n')[0]}`);
  }
  return buildWithIncludes(exported, { file: display, lineOf: () => undefined }, await readIncludes(exported, path, display, context), context);
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
  let text: string;
  try {
    text = await context.files.readFile(path);
  } catch (error) {
    throw new ConfigError({ file: shown }, `cannot read: ${fileErrorReason(error)}${origin}`);
  }
  return (await HOST_PARSERS[prefix]!())(text, shown);
}

/**
 * cosmiconfig only finds the file: every loader answers "found" without parsing, so that YAML is parsed
 * once, by parse.ts, with line numbers. package.json counts only when it has a "glance-cache" key.
 */
async function searchUpward(cwd: string, home: string): Promise<string | undefined> {
  const { cosmiconfig } = await import('../lazy/cosmiconfig.js');
  const found = (): unknown => ({ [MODULE_NAME]: true });
  const inPackageJson = (filepath: string, content: string): unknown => {
    if (basename(filepath) !== 'package.json') return found();
    try {
      return JSON.parse(content) as unknown;
    } catch {
      // Broken JSON that mentions us is ours: parse.ts reports where it breaks.
      return content.includes(`"${MODULE_NAME}"`) ? found() : {};
    }
  };
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'none',
    // An empty .glance-cacherc was put there on purpose: report it rather than look further.
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: Object.fromEntries(['.json', '.yaml', '.yml', '.js', '.cjs', '.mjs', 'noExt'].map((ext) => [ext, inPackageJson])),
  });
  for (const dir of searchDirs(cwd, home)) {
    const result = await explorer.search(dir);
    if (result) return result.filepath;
  }
  return undefined;
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

async function modeOf(path: string, display: string, files: InventoryFiles): Promise<number | undefined> {
  try {
    return await files.fileMode(path);
  } catch (error) {
    throw new ConfigError({ file: display }, `cannot read: ${fileErrorReason(error)}`);
  }
}

function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}

export const diskFiles: InventoryFiles = {
  readFile: (path) => readFileFromDisk(path, 'utf8'),
  async fileMode(path) {
    try {
      return (await stat(path)).mode & 0o7777;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  },
};
