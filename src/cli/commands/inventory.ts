import { formatSize } from '../../core/units.js';
import { loadSelection } from '../factory.js';
import type { NodeSpec } from '../../inventory/types.js';
import type { Column } from '../../output/columns.js';
import type { CommandContext } from '../context.js';
import { emit } from '../emit.js';

interface InventoryRow {
  node: NodeSpec;
  groups: string[];
}

const COLUMNS: Column<InventoryRow>[] = [
  { key: 'name', header: 'Name', text: (row) => row.node.name },
  { key: 'url', header: 'URL', text: (row) => row.node.url },
  { key: 'groups', header: 'Groups', text: (row) => row.groups.map((group) => `@${group}`).join(',') },
  { key: 'labels', header: 'Labels', text: (row) => Object.entries(row.node.labels).map(([key, value]) => `${key}=${value}`).join(',') },
  { key: 'timeout', header: 'Timeout', align: 'right', text: (row) => `${row.node.timeoutMs / 1000}s` },
  { key: 'max_size', header: 'Max size', align: 'right', text: (row, context) => (row.node.maxSizeBytes === undefined ? '' : context.tty ? formatSize(row.node.maxSizeBytes) : String(row.node.maxSizeBytes)) },
  { key: 'defined_at', header: 'Defined at', text: (row) => `${row.node.at.file}${row.node.at.line ? `:${row.node.at.line}` : ''}` },
];

export async function runInventory(context: CommandContext, _args: string[], options: Record<string, unknown>): Promise<number> {
  const loaded = await loadSelection(context, { selectAllByDefault: true });
  const groupCount = Object.keys(loaded.inventory.groups).length;
  if (options.check) {
    const selected = loaded.nodes.length === loaded.inventory.nodes.length ? '' : `, ${loaded.nodes.length} selected`;
    context.io.stdout.write(`${loaded.path}: OK: ${loaded.inventory.nodes.length} nodes${selected}, ${groupCount} groups\n`);
    return 0;
  }
  context.log.verbose(`inventory: ${loaded.path} (${loaded.how})`);
  const rows: InventoryRow[] = loaded.nodes.map((node) => ({
    node,
    groups: Object.entries(loaded.inventory.groups)
      .filter(([, members]) => members.includes(node.name))
      .map(([group]) => group),
  }));
  await emit(context, {
    document: {
      source: loaded.path,
      found_by: loaded.how,
      nodes: rows.map(({ node, groups }) => ({
        name: node.name,
        url: node.url,
        images_url: node.imagesUrl ?? null,
        groups,
        labels: node.labels,
        timeout: node.timeoutMs / 1000,
        connect_timeout: node.connectTimeoutMs / 1000,
        max_size: node.maxSizeBytes ?? null,
        defined_at: `${node.at.file}${node.at.line ? `:${node.at.line}` : ''}`,
      })),
      groups: loaded.inventory.groups,
    },
    listKey: 'nodes',
    rows,
    columns: COLUMNS,
    footer: `${loaded.path} (${loaded.how}): ${loaded.inventory.nodes.length} nodes, ${groupCount} groups`,
  });
  return 0;
}
