/**
 * The one call a run makes to learn how to authenticate: picks the cloud, reads clouds.yaml only when
 * one is named, and merges every source.
 */
import { readCloud, type ConfigFilesIo } from './clouds.js';
import { chooseCloud, resolveCredentials } from './resolve.js';
import type { AuthFlags } from './settings.js';
import type { Credentials } from './types.js';
import { readConfigFile, statConfigFile } from '../inventory/config-file.js';
import type { InventoryAuth } from '../inventory/types.js';

export interface CredentialSources {
  flags: AuthFlags;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  inventoryAuth?: InventoryAuth | undefined;
}

export type ConfigFiles = Pick<ConfigFilesIo, 'readFile' | 'stat'>;

export interface LoadedCredentials {
  credentials: Credentials;
  /** e.g. a clouds.yaml holding a password that others can read. */
  warnings: string[];
}

/** The inventory's own bounded, regular-files-only reading. */
const localFiles: ConfigFiles = { readFile: readConfigFile, stat: statConfigFile };

export async function loadCredentials(sources: CredentialSources, files: ConfigFiles = localFiles): Promise<LoadedCredentials> {
  const choice = chooseCloud(sources);
  const loaded = choice ? await readCloud(choice, { ...files, env: sources.env, cwd: sources.cwd, home: sources.home }) : undefined;
  return { credentials: resolveCredentials({ ...sources, cloud: loaded?.cloud }), warnings: loaded?.warnings ?? [] };
}
