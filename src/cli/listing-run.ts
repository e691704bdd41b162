/**
 * The part every command shares: open the fleet, list every node with a spinner, name each failed node
 * on stderr, audit what the nodes said (nodes listing records that are not their own), and turn the
 * outcome into the exit code.
 */
import { findSharedRecords, type SharedRecords } from '../core/audit.js';
import type { NodeListing } from '../core/model.js';
import { listingExitCode } from '../core/outcome.js';
import { plural } from '../core/plan.js';
import { ExitCode, GlanceCacheError, type ExitCodeValue } from '../errors.js';
import type { Fleet } from '../fleet/fleet.js';
import { foldNodeSet } from '../inventory/nodeset.js';
import { selectNodes } from '../inventory/select.js';
import { listFleet, type FleetListing } from '../fleet/listing.js';
import { explainForbidden } from '../auth/forbidden.js';
import type { CommandContext } from './context.js';
import { nodeTls, openFleet } from './factory.js';

export interface ListingRun<T = undefined> {
  fleet: Fleet;
  /** What the `alongside` task returned. */
  extra: T;
  result: FleetListing;
  answered: number;
  /**
   * Nodes whose listings cannot come from distinct nodes: each group lists one set of database rows.
   * Each group has a listed node; with auditOutside, the others may be outside the selection.
   */
  shared: SharedRecords[];
  exitCode: ExitCodeValue;
}

export interface ListingRunOptions<T> {
  withImages: boolean;
  /** Ask every node for its API versions too (see listFleet). */
  discover?: boolean;
  alongside?: (fleet: Fleet) => Promise<T>;
  check?: (fleet: Fleet) => void;
  /**
   * Also list the inventory's nodes that the selection leaves out (those -x excludes stay out), for the
   * audit alone: an acting command aimed at one node must still see that another lists the same records.
   */
  auditOutside?: boolean;
}

export async function runListing<T = undefined>(context: CommandContext, options: ListingRunOptions<T>): Promise<ListingRun<T>> {
  const fleet = await openFleet(context);
  try {
    return await listOpenFleet(context, fleet, options);
  } finally {
    await fleet.close();
  }
}

/** The same listing on a fleet the caller keeps open: acting commands go on to send their plan through it. */
export async function listOpenFleet<T = undefined>(context: CommandContext, fleet: Fleet, options: ListingRunOptions<T>): Promise<ListingRun<T>> {
  // Before any request: a usage error found here sends nothing.
  options.check?.(fleet);
  // Started before the listing and awaited after it, so both share the round trips.
  const extra = options.alongside ? options.alongside(fleet) : Promise.resolve(undefined as T);
  extra.catch(() => undefined);
  const witnessing = new AbortController();
  const stopWitnessing = () => witnessing.abort(context.signal.reason);
  context.signal.addEventListener('abort', stopWitnessing, { once: true });
  const outside = options.auditOutside ? listOutside(context, fleet, witnessing.signal) : Promise.resolve([]);
  const total = fleet.nodes.length;
  await context.progress.start(`Asking ${plural(total, 'node')}…`);
  const result = await listFleet(fleet, {
    signal: context.signal,
    fanout: context.globals.fanout,
    now: context.now,
    withImages: options.withImages,
    discover: options.discover ?? false,
    onProgress: (done) => context.progress.update(`Asking ${total} nodes… ${done}/${total}`),
  });
  context.progress.stop();
  // Before anything is said about the listing: when the alongside task fails (a name that cannot be
  // resolved), its error alone is the run's one line, and no listing is shown for warnings to describe.
  const extraValue = await extra;
  for (const listing of result.listings) {
    if (listing.ok) continue;
    const reason = listing.errorKind === 'forbidden' ? explainForbidden('list', listing.name, listing.error ?? '') : `${listing.name} (${listing.url}): ${listing.error ?? 'failed'}`;
    context.log.error(reason);
  }
  if (result.namesError) context.log.warn(`image names unavailable: ${result.namesError}`);
  if (result.interrupted) context.log.error('interrupted: showing the nodes that answered');
  const listed = new Set(result.listings.map((listing) => listing.name));
  // Only centralized_db records (those with row ids) can be shared: a selection without any needs no
  // witness, and must not wait for a slow or dead node it never asked about.
  if (!result.listings.some((listing) => listing.cache?.cached.some((entry) => entry.rowId !== undefined))) witnessing.abort();
  const witnesses = await outside;
  context.signal.removeEventListener('abort', stopWitnessing);
  const shared = findSharedRecords([...result.listings, ...witnesses]).filter((group) => group.nodes.some((node) => listed.has(node)));
  for (const group of shared) context.log.warn(sharedRecordsLine(group));
  const answered = result.listings.filter((listing) => listing.ok).length;
  const exitCode = listingExitCode({ ok: answered, failed: result.listings.length - answered, interrupted: result.interrupted, shared: shared.length });
  return { fleet, extra: extraValue, result, answered, shared, exitCode };
}

/**
 * The answering nodes outside the selection, as witnesses for the audit: nothing is planned for them and
 * their failures are not the run's. Nodes whose TLS is not verified are left out, so that the token goes
 * nowhere the run's warning about unverified nodes did not name.
 */
async function listOutside(context: CommandContext, fleet: Fleet, signal: AbortSignal): Promise<NodeListing[]> {
  const { globals } = context;
  const selected = new Set(fleet.nodes.map((node) => node.name));
  try {
    const nodes = selectNodes(fleet.inventory, { nodes: [], exclude: globals.exclude, all: true, labels: [] })
      .filter((node) => !selected.has(node.name) && !nodeTls(node, globals, undefined).insecure)
      .map((node) => ({ ...node, timeoutMs: globals.timeoutMs ?? node.timeoutMs, connectTimeoutMs: globals.connectTimeoutMs ?? node.connectTimeoutMs }));
    if (nodes.length === 0) return [];
    context.log.debug(`listing ${plural(nodes.length, 'node')} outside the selection for the audit: ${foldNodeSet(nodes.map((node) => node.name))}`);
    const witnesses = await listFleet({ ...fleet, nodes }, { signal, fanout: globals.fanout, now: context.now, withImages: false, discover: false });
    return signal.aborted ? [] : witnesses.listings.filter((listing) => listing.ok);
  } catch {
    // Keystone refusing every witness fails the selection's own listing too, which says so.
    return [];
  }
}

/** Listed nodes the audit found sharing records: the selection's part of run.shared. */
export function sharedListed(run: Pick<ListingRun<unknown>, 'result' | 'shared'>): string[] {
  const listed = new Set(run.result.listings.map((listing) => listing.name));
  return run.shared.flatMap((group) => group.nodes.filter((node) => listed.has(node)));
}

const SHOWN_ROW_IDS = 5;

/** "glance02 and glance03 list the same cache records (row ids 4, 7): they likely share one worker_self_reference_url; …". */
export function sharedRecordsLine(group: SharedRecords): string {
  return `${nodesText(group.nodes)} list the same cache records (${rowIdsText(group.rowIds)}): they likely share one worker_self_reference_url; their listings show that URL's database rows, not what each node's disk holds`;
}

/** The same finding as one node's warning: what it shares, with whom. */
export function sharedRecordsWarning(group: SharedRecords, node: string): string {
  const others = group.nodes.filter((name) => name !== node);
  return `lists the same cache records as ${nodesText(others)} (${rowIdsText(group.rowIds)}): likely the same worker_self_reference_url; this listing shows that URL's database rows, not this node's disk`;
}

function nodesText(nodes: readonly string[]): string {
  if (nodes.length > 4) return `${foldNodeSet(nodes)} (${nodes.length} nodes)`;
  return nodes.length === 1 ? nodes[0]! : `${nodes.slice(0, -1).join(', ')} and ${nodes.at(-1)!}`;
}

function rowIdsText(rowIds: readonly number[]): string {
  const shown = rowIds.slice(0, SHOWN_ROW_IDS).join(', ');
  const more = rowIds.length > SHOWN_ROW_IDS ? ` and ${rowIds.length - SHOWN_ROW_IDS} more` : '';
  return `row id${rowIds.length === 1 ? '' : 's'} ${shown}${more}`;
}

/**
 * Orphans are the images Glance does not describe as active: when the images API could not be asked,
 * every image would look orphaned, so a run that needs statuses stops here instead.
 */
export function requireImageStatuses(run: ListingRun<unknown>): void {
  if (run.result.namesError) throw new GlanceCacheError(`cannot tell which images Glance still serves: ${run.result.namesError}`, ExitCode.failed);
}

export function footerText(run: ListingRun<unknown>): string {
  const failed = run.result.listings.filter((listing) => !listing.ok).map((listing) => listing.name);
  const answered = `${plural(run.answered, 'node')} answered`;
  const shared = sharedListed(run);
  return [
    failed.length ? `${answered}, ${failed.length} failed: ${foldNodeSet(failed)}` : answered,
    ...(shared.length ? [`${shared.length} list the same cache records: ${foldNodeSet(shared)}`] : []),
  ].join('; ');
}
