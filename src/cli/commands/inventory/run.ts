import { ExitCode } from '../../../errors.js';
import { loadSelection } from '../../factory.js';
import type { CommandContext } from '../../context.js';
import { emit, emitText } from '../../emit.js';
import { plural } from '../../../core/plan.js';
import type { InventoryOptions } from './options.js';
import { INVENTORY_COLUMNS, type InventoryRow } from './view.js';

export async function run(context: CommandContext, _args: string[], options: InventoryOptions): Promise<number> {
  const loaded = await loadSelection(context, { selectAllByDefault: true });
  const groupCount = Object.keys(loaded.inventory.groups).length;
  if (options.check) {
    const selected = loaded.nodes.length === loaded.inventory.nodes.length ? '' : `, ${loaded.nodes.length} selected`;
    emitText(context, `${loaded.path}: OK: ${plural(loaded.inventory.nodes.length, 'node')}${selected}, ${plural(groupCount, 'group')}\n`);
    return ExitCode.ok;
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
    columns: INVENTORY_COLUMNS,
    footer: `${loaded.path} (${loaded.how}): ${loaded.inventory.nodes.length} nodes, ${groupCount} groups`,
  });
  return ExitCode.ok;
}
