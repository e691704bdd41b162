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
}

/** Reads an inventory at a path, given as -i or in the environment as "PREFIX:PATH". */
type FormatReader = (path: string, display: string, context: ReadContext) => Promise<Inventory>;

/** Other tools' inventories, by -i prefix; a path without a known prefix is glance-cache's own format. */
const READERS_BY_PREFIX: Record<string, FormatReader> = {
  kolla: notSupportedYet('kolla-ansible'),
  osa: notSupportedYet('openstack-ansible'),
};

function notSupportedYet(tool: string): FormatReader {
  return async (_path, display) => {
    throw new ConfigError({ file: display }, `${tool} inventories are not supported yet`);
  };
}

export async function loadInventory(options: LoadInventoryOptions): Promise<LoadedInventory> {
  const context: ReadContext = { files: options.files ?? diskFiles, home: options.home };
  const envValue = options.env[INVENTORY_ENV];
  if (options.flag !== undefined) return loadGiven(options.flag, 'flag', '-i/--inventory', options.cwd, context);
  if (envValue) return loadGiven(envValue, 'env', INVENTORY_ENV, options.cwd, context);

  const searched = await searchUpward(options.cwd, options.home);
  if (searched) return loadFile(searched, searched, 'search', context);
  const configHome = options.env.XDG_CONFIG_HOME && isAbsolute(options.env.XDG_CONFIG_HOME)
    ? options.env.XDG_CONFIG_HOME
    : join(options.home, '.config');
  const places: [InventoryOrigin, string][] = [
    ...INVENTORY_FILES.map((name): [InventoryOrigin, string] => ['user', join(configHome, MODULE_NAME, name)]),
    ...INVENTORY_FILES.map((name): [InventoryOrigin, string] => ['system', join(SYSTEM_DIR, name)]),
  ];
  for (const [how, path] of places) {
    if ((await modeOf(path, path, context)) !== undefined) return loadFile(path, path, how, context);
  }
  throw new ConfigError(
    { file: 'inventory' },
    `none found: give -i PATH or set ${INVENTORY_ENV}; searched ${SEARCH_PLACES.join(', ')} from ${options.cwd} up to ` +
      `${searchStop(options.cwd, options.home)}, then ${join(configHome, MODULE_NAME)}/ and ${SYSTEM_DIR}/ for ${INVENTORY_FILES.join(', ')}`,
  );
}

async function loadGiven(given: string, how: 'flag' | 'env', origin: string, cwd: string, context: ReadContext): Promise<LoadedInventory> {
  if (given.trim() === '') throw new ConfigError({ file: origin }, 'is empty: give the path of an inventory');
  const prefixed = /^([a-z]+):(.+)$/.exec(given);
  const reader = prefixed ? READERS_BY_PREFIX[prefixed[1]!] : undefined;
  if (reader) {
    const path = resolve(cwd, prefixed![2]!);
    return { inventory: await reader(path, given, context), path, how, warnings: [] };
  }
  const path = resolve(cwd, given);
  if ((await modeOf(path, given, context)) === undefined) throw new ConfigError({ file: given }, `no such file (from ${origin})`);
  return loadFile(path, given, how, context);
}

/** glance-cache's own format: YAML/JSON, package.json's "glance-cache" key, or a JS module exporting the same data. */
async function loadFile(path: string, display: string, how: InventoryOrigin, context: ReadContext): Promise<LoadedInventory> {
  const inventory = JS_EXTENSIONS.includes(extname(path))
    ? await readJsInventory(path, display, context)
    : await readTextInventory(path, display, context);
  const mode = await modeOf(path, display, context);
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
  const { parseInventory } = await import('./parse.js');
  const key = basename(path) === 'package.json' ? MODULE_NAME : undefined;
  return parseInventory(text, display, { home: context.home, key });
}

async function readJsInventory(path: string, display: string, context: ReadContext): Promise<Inventory> {
  let exported: unknown;
  try {
    exported = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new ConfigError({ file: display }, `cannot load: ${String((error as Error).message).split('\n')[0]}`);
  }
  const { buildInventory } = await import('./schema.js');
  return buildInventory(exported, { file: display, lineOf: () => undefined }, { home: context.home });
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

async function modeOf(path: string, display: string, context: ReadContext): Promise<number | undefined> {
  try {
    return await context.files.fileMode(path);
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

const diskFiles: InventoryFiles = {
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
