import type { CommandContext } from '../../context.js';
import { emit } from '../../emit.js';
import { footerText, runListing } from '../../listing-run.js';
import { NODE_COLUMNS, nodeViews } from '../../views.js';

export async function run(context: CommandContext): Promise<number> {
  const run = await runListing(context, { withImages: false, discover: true });
  const views = nodeViews(run);
  await emit(context, { document: { nodes: views }, listKey: 'nodes', rows: views, columns: NODE_COLUMNS, footer: footerText(run) });
  return run.exitCode;
}
