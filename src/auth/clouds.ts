/**
 * Finding and reading clouds.yaml and secure.yaml the way openstacksdk (os-client-config) does, so an
 * operator's existing `--os-cloud` setup works unchanged, but without trusting what it finds: these files
 * say where the password is sent, so a file found by the search (a clouds.yaml planted in the working
 * directory, say) is used only if no one but the running user or root could have written it, as a found
 * inventory is (../inventory/trust.ts). OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE are the operator's
 * choice and are not checked. Either way only a regular file of bounded size is read
 * (../inventory/config-file.ts): a FIFO fails at once instead of hanging the run.
 */
import { dirname, join } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { fileErrorReason, type FileFacts } from '../inventory/config-file.js';
import { foundFileRefusal } from '../inventory/trust.js';
import { exposureWarning, holdsSecret } from './exposure.js';

export interface ConfigFilesIo {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
  /** A regular file's text, refusing anything else and anything too large (readConfigFile). */
  readFile(path: string): Promise<{ text: string; facts: FileFacts }>;
  /** Owner and mode of what is at path, or undefined when nothing is. */
  stat(path: string): Promise<FileFacts | undefined>;
}

/** The selected cloud, secure.yaml merged over it, keys spelled with underscores. */
export interface CloudConfig {
  name: string;
  /** The clouds.yaml the cloud came from. */
  file: string;
  entry: Record<string, unknown>;
  /** 1-based line of each key path of the entry in `file` ("region_name", "auth.password"; "" for the cloud itself). */
  lines: Record<string, number>;
}

export interface CloudChoice {
  name: string;
  /** What chose it, for messages: "--os-cloud", "OS_CLOUD", "inventory.yaml:7 auth.cloud". */
  from: string;
}

export interface LoadedCloud {
  cloud: CloudConfig;
  warnings: string[];
}

const SUFFIXES = ['.yaml', '.yml', '.json'];
const OVERRIDES = { clouds: 'OS_CLIENT_CONFIG_FILE', secure: 'OS_CLIENT_SECURE_FILE' } as const;

type ConfigBase = keyof typeof OVERRIDES;

/** A config file that exists: given by its variable, or found by the search. */
interface Located {
  path: string;
  base: ConfigBase;
  given: boolean;
}

/** openstacksdk's search path: the override variable, then each directory with each suffix; first found wins. */
export function configCandidates(base: ConfigBase, io: ConfigFilesIo): string[] {
  const override = io.env[OVERRIDES[base]];
  const userConfig = io.env.XDG_CONFIG_HOME || join(io.home, '.config');
  const siteConfig = io.env.XDG_CONFIG_DIRS?.split(':').find(Boolean) ?? '/etc/xdg';
  const dirs = [io.cwd, join(userConfig, 'openstack'), join(io.home, '.config', 'openstack'), join(siteConfig, 'openstack'), '/etc/openstack'];
  const files = [...new Set(dirs)].flatMap((dir) => SUFFIXES.map((suffix) => join(dir, base + suffix)));
  return override ? [override, ...files] : files;
}

export async function readCloud(choice: CloudChoice, io: ConfigFilesIo): Promise<LoadedCloud> {
  const candidates = configCandidates('clouds', io);
  const found = await firstExisting('clouds', io);
  if (!found) {
    const override = io.env[OVERRIDES.clouds];
    const dirs = [...new Set(candidates.filter((path) => path !== override).map((path) => dirname(path)))];
    const looked = `${override ? `${override}, then ` : ''}clouds.yaml, .yml or .json in ${dirs.join(', ')}`;
    throw new UsageError(`cloud "${choice.name}" (from ${choice.from}): no clouds.yaml found; looked for ${looked}`);
  }
  const clouds = await parseConfigFile(found, io, choice.name);
  const secureFound = await firstExisting('secure', io);
  const secure = secureFound ? await parseConfigFile(secureFound, io, choice.name) : undefined;

  const base = clouds.clouds[choice.name];
  const extra = secure?.clouds[choice.name];
  if (base === undefined && extra === undefined) {
    const names = [...new Set([...Object.keys(clouds.clouds), ...Object.keys(secure?.clouds ?? {})])];
    const known = names.length ? `clouds defined: ${names.join(', ')}` : 'it defines no clouds';
    throw new ConfigError({ file: found.path }, `no cloud named "${choice.name}" (from ${choice.from}); ${known}`);
  }
  const entry = deepMerge(normaliseKeys(base), normaliseKeys(extra));
  if (!isRecord(entry)) {
    throw new ConfigError({ file: found.path, line: clouds.lines[''], field: `clouds.${choice.name}` }, 'expected a mapping of settings');
  }
  if (typeof entry.cacert === 'string' && entry.cacert.startsWith('~/')) entry.cacert = join(io.home, entry.cacert.slice(2));

  const read = secureFound && secure ? [{ ...found, ...clouds }, { ...secureFound, ...secure }] : [{ ...found, ...clouds }];
  const warnings = read.flatMap(({ path, mode, data }) => (holdsSecret(data) ? (exposureWarning(path, mode) ?? []) : []));

  return { cloud: { name: choice.name, file: found.path, entry, lines: clouds.lines }, warnings };
}

async function firstExisting(base: ConfigBase, io: ConfigFilesIo): Promise<Located | undefined> {
  const override = io.env[OVERRIDES[base]];
  for (const path of configCandidates(base, io)) {
    if ((await statOf(path, io)) !== undefined) return { path, base, given: path === override };
  }
  return undefined;
}

async function statOf(path: string, io: ConfigFilesIo): Promise<FileFacts | undefined> {
  try {
    return await io.stat(path);
  } catch (error) {
    throw new ConfigError({ file: path }, `cannot read: ${fileErrorReason(error)}`);
  }
}

interface ParsedConfig {
  /** The mode of the file read, for the warning about credentials others can read. */
  mode: number;
  data: unknown;
  clouds: Record<string, unknown>;
  /** See CloudConfig.lines. */
  lines: Record<string, number>;
}

async function parseConfigFile(located: Located, io: ConfigFilesIo, cloudName: string): Promise<ParsedConfig> {
  const file = located.path;
  let read: { text: string; facts: FileFacts };
  try {
    read = await io.readFile(file);
  } catch (error) {
    throw new ConfigError({ file }, `cannot read: ${fileErrorReason(error)}`);
  }
  const { text, facts } = read;
  if (!located.given) {
    const hint = `name it with ${OVERRIDES[located.base]} if you trust it`;
    const reason = await foundFileRefusal(file, facts, hint, (dir) => statOf(dir, io));
    if (reason) throw new ConfigError({ file }, reason);
  }
  const { data, lines } = file.endsWith('.json') ? { data: parseJson(text, file), lines: {} } : await parseYaml(text, file, cloudName);
  const root = data ?? {};
  if (!isRecord(root)) throw new ConfigError({ file }, 'expected a mapping with a "clouds" key');
  const clouds = root.clouds ?? {};
  if (!isRecord(clouds)) throw new ConfigError({ file, field: 'clouds' }, 'expected a mapping of cloud names to settings');
  return { mode: facts.mode, data: root, clouds, lines };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError({ file }, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function parseYaml(text: string, file: string, cloudName: string): Promise<{ data: unknown; lines: Record<string, number> }> {
  // Loaded here, not at the top: most runs never read clouds.yaml and start-up time matters (docs/architecture.md, "Start-up").
  const { LineCounter, isMap, isScalar, parseDocument, visit } = await import('../lazy/yaml.js');
  const lineCounter = new LineCounter();
  // `<<` merge keys as PyYAML reads them, since the same file serves openstacksdk.
  const doc = parseDocument(text, { lineCounter, merge: true });
  const [problem] = doc.errors;
  if (problem) {
    const reason = (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError({ file, line: problem.linePos?.[0].line }, reason);
  }
  // A password or ID made of digits must keep its spelling (leading zeros, "1e3"): numbers stay text.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.source !== undefined) node.value = node.source;
    },
  });

  const lines: Record<string, number> = {};
  const record = (path: string, key: unknown): void => {
    const offset = isScalar(key) ? key.range?.[0] : undefined;
    if (offset !== undefined) lines[path] = lineCounter.linePos(offset).line;
  };
  const clouds = doc.get('clouds', true);
  const cloud = isMap(clouds) ? clouds.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === cloudName) : undefined;
  if (cloud) {
    record('', cloud.key);
    for (const pair of isMap(cloud.value) ? cloud.value.items : []) {
      const key = normaliseKey(String(isScalar(pair.key) ? pair.key.value : ''));
      record(key, pair.key);
      for (const inner of isMap(pair.value) ? pair.value.items : []) {
        record(`${key}.${normaliseKey(String(isScalar(inner.key) ? inner.key.value : ''))}`, inner.key);
      }
    }
  }
  return { data: doc.toJS({ maxAliasCount: 100 }), lines };
}

/** openstacksdk accepts `project-name` for `project_name`. */
function normaliseKey(key: string): string {
  return key.replaceAll('-', '_');
}

function normaliseKeys(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [normaliseKey(key), normaliseKeys(inner)]));
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over ?? base;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
