/**
 * Node names and groups of the inventory the command line would use. Parsing an inventory loads the YAML
 * library, so the names are kept in a small JSON file, valid while every file the parse read (the
 * inventory and what it includes) keeps its modification time and size: only the first TAB after an
 * edit pays for the parse.
 */
import { stat } from 'node:fs/promises';
import { diskFiles, isJavaScriptInventory, locateInventory, readInventory, type InventoryFiles, type LoadInventoryOptions } from '../inventory/locate.js';
import { cacheFile, readCache, writeCache } from './cache-files.js';
import type { InventoryNames } from './candidates.js';

interface FileStamp {
  path: string;
  mtime_ms: number;
  size: number;
}

interface NamesFile extends InventoryNames {
  inventory: string;
  files: FileStamp[];
}

export async function inventoryNames(options: LoadInventoryOptions & { cacheDir: string }): Promise<InventoryNames> {
  const location = await locateInventory(options);
  // A TAB must not run code: even one the operator chose runs only when a command is run.
  if (isJavaScriptInventory(location)) return { nodes: [], groups: {}, labels: {} };
  const file = cacheFile(options.cacheDir, 'nodes', location.path);
  const cached = (await readCache(file)) as Partial<NamesFile> | undefined;
  // A file written before labels were kept lacks them: parsed again, once.
  if (cached?.inventory === location.path && cached.nodes && cached.groups && cached.labels && (await unchanged(cached.files))) {
    return { nodes: cached.nodes, groups: cached.groups, labels: cached.labels };
  }
  // Stamped before each read, so an edit racing the parse makes the next TAB parse again.
  const stamps = new Map<string, FileStamp>([[location.path, await stampOf(location.path)]]);
  const files: InventoryFiles = {
    ...diskFiles,
    async readFile(path) {
      stamps.set(path, await stampOf(path));
      return diskFiles.readFile(path);
    },
  };
  const { inventory } = await readInventory(location, { ...options, files, lines: false });
  const names: InventoryNames = {
    nodes: inventory.nodes.map((node) => ({ name: node.name, url: node.url })),
    groups: Object.fromEntries(Object.entries(inventory.groups).map(([group, members]) => [group, members.length])),
    labels: labelCounts(inventory.nodes),
  };
  const record: NamesFile = { inventory: location.path, files: [...stamps.values()], ...names };
  await writeCache(file, record).catch(() => undefined);
  return names;
}

async function stampOf(path: string): Promise<FileStamp> {
  const { mtimeMs, size } = await stat(path);
  return { path, mtime_ms: mtimeMs, size };
}

async function unchanged(files: FileStamp[] | undefined): Promise<boolean> {
  if (!Array.isArray(files) || files.length === 0) return false;
  const now = await Promise.all(files.map((file) => stampOf(file.path).catch(() => undefined)));
  return now.every((stamp, index) => stamp?.mtime_ms === files[index]!.mtime_ms && stamp.size === files[index]!.size);
}

function labelCounts(nodes: readonly { labels: Record<string, string> }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of nodes) for (const [key, value] of Object.entries(node.labels)) counts[`${key}=${value}`] = (counts[`${key}=${value}`] ?? 0) + 1;
  return counts;
}
