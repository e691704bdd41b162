/**
 * What every acting command shares (queue, purge, clear, sync; prune too): show the plan, ask on a
 * terminal or refuse without one unless --yes, carry the plan out, report what became of each action, and
 * turn that into the exit code. A command brings its plan and how to send one action; act() sends nothing
 * else, and nothing at all under --dry-run. Nodes the fleet audit found listing another node's records
 * are planned for by nobody (plannable) and sent nothing: their rows say so.
 */
import { explainForbidden, type CacheOperation } from '../../auth/forbidden.js';
import type { ApiInfo, NodeListing } from '../../core/model.js';
import { actExitCode } from '../../core/outcome.js';
import { succeeded, type ActionOutcome } from '../../core/plan-outcome.js';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors.js';
import { executePlan, type ActionRunner } from '../../fleet/execute.js';
import type { NodeClient } from '../../glance/node-client.js';
import { foldNodeSet } from '../../inventory/nodeset.js';
import { defineColumns, type Column, type DisplayContext } from '../../output/columns.js';
import { OUTCOME_KEYS, PLAN_KEYS } from '../column-keys.js';
import type { ActOptions } from './options.js';
import { actionLineLevel, emptyTally, plainProgressDue, progressText, tallyOutcome } from './progress-line.js';
import { openFleet } from '../factory.js';
import type { CommandContext } from '../context.js';
import { emit } from '../emit.js';
import { listOpenFleet, sharedListed, type ListingRun, type ListingRunOptions } from '../listing-run.js';
import { planName } from '../../output/plan-name.js';
import { NOT_IN_GLANCE, nodeViews, sizeText, type NodeView } from '../views.js';

/** One planned request: `image` is null for whole-node actions (clear, server-side prune). */
export interface PlanItem {
  node: string;
  image: string | null;
  action: string;
}

export interface ActRequest<A extends PlanItem> {
  /** The listing the plan was computed from; its fleet is still open. */
  run: ListingRun<unknown>;
  /** What to send. */
  actions: readonly A[];
  /** Asked for, but already in that state: reported, never sent. */
  already: readonly A[];
  /**
   * What the command would ask of a node the fleet audit withholds (see withheldNodes): reported as
   * skipped with the reason, never sent.
   */
  withheld: (node: string) => A[];
  /** The plan in words, without "?": "purge 3 images from 5 nodes (12 deletions)". */
  summary: string;
  /** How `already` items are described: "already absent". */
  alreadyState: string;
  /** Said when the plan is empty: "nothing to purge". */
  nothingToDo: string;
  /** For the progress line: "Purging". */
  doing: string;
  /** The runner logs a line per action itself (prune's evictions, with size and reasons); else act() does. */
  logsEachAction?: boolean;
  /** What a done action frees, for the progress line's byte count (deletions); no byte count without it. */
  freedBy?: (action: A) => number | null;
  send: ActionRunner<A>;
  /** The cache policy a 403 for this action comes from. */
  policyOf: (action: A) => CacheOperation;
  nameOf: (image: string) => string | null;
  /**
   * Glance was asked about every image and did not describe this one (an orphan: deleted, or not visible to
   * this user): a table names it as ls does, "(not in Glance)", where JSON keeps a null name.
   */
  notInGlance?: (image: string) => boolean;
  /** Why an action is planned (prune's reasons: size, age, orphan, replicas); none by default. */
  reasonsOf?: (action: A) => readonly string[];
  /** A remark on an action's outcome, e.g. that a legacy node only queued what it was sent. */
  noteOf?: (outcome: ActionOutcome<A>) => string | null;
  /** After the plan was carried out (queue --wait): may change outcomes, e.g. fail a copy that never landed. */
  follow?: (outcomes: ActionOutcome<A>[]) => Promise<ActionOutcome<A>[]>;
  /** More top-level fields for the JSON document. */
  extra?: Record<string, unknown>;
  options: ActOptions;
}

/**
 * Lists the selected nodes and keeps the fleet open while `then` plans and acts on what they said.
 * connectionsPerNode: as many as actions may be in flight on one node (ActOptions.nodeConcurrency).
 */
export async function withListing<T, R>(
  context: CommandContext,
  options: ListingRunOptions<T> & { connectionsPerNode?: number },
  then: (run: ListingRun<T>) => Promise<R>,
): Promise<R> {
  const fleet = await openFleet(context, { connectionsPerNode: options.connectionsPerNode });
  try {
    return await then(await listOpenFleet(context, fleet, { ...options, auditOutside: true }));
  } finally {
    await fleet.close();
  }
}

export interface OutcomeView {
  node: string;
  image: string | null;
  name: string | null;
  action: string;
  result: ActionOutcome<unknown>['result'];
  ok: boolean;
  error: string | null;
  note: string | null;
}

/** The JSON of every acting command (docs/architecture.md, "Contract"): the plan, what became of it, and the nodes. */
export interface ActDocument {
  dry_run: boolean;
  plan: PlanItem[];
  outcome: OutcomeView[];
  nodes: NodeView[];
  [key: string]: unknown;
}

export interface ActResult<A> {
  exitCode: ExitCodeValue;
  document: ActDocument;
  outcomes: ActionOutcome<A>[];
}

const PREVIEW_LINES = 20;

export async function act<A extends PlanItem>(context: CommandContext, request: ActRequest<A>): Promise<ActResult<A>> {
  const { run, options } = request;
  const listings = run.result.listings;
  // Node by node in listing order; a stable sort keeps each node's own actions in plan order.
  const order = new Map(listings.map((listing, index) => [listing.name, index]));
  const byNode = <T>(items: readonly T[], nodeOf: (item: T) => string) => [...items].sort((a, b) => (order.get(nodeOf(a)) ?? 0) - (order.get(nodeOf(b)) ?? 0));
  const actions = byNode(request.actions, (item) => item.node);
  const already = request.already.map((action): ActionOutcome<A> => ({ action, result: 'already', sent: false, error: null, errorKind: null }));

  if (run.result.interrupted) {
    context.log.error('interrupted before the plan was made: nothing was sent');
    return { exitCode: ExitCode.interrupted, document: documentOf(run, [], [], request, false), outcomes: [] };
  }
  const withheld = withheldOutcomes(context, request);
  if (actions.length === 0) {
    const planned = plannable(run).filter((listing) => listing.ok).length;
    if (planned > 0) context.log.info(`${request.nothingToDo}${planned < listings.length ? ` on the nodes ${withheld.length ? 'it could plan for' : 'that answered'}` : ''}`);
    return report(context, request, actions, byNode([...already, ...withheld], (outcome) => outcome.action.node), false);
  }

  preview(context, request, actions, withheld);
  if (options.dryRun) {
    // What is withheld is known not to be sent, dry run or not: it is an outcome already.
    const document = documentOf(run, actions, withheld, request, true);
    const sizeOf = cachedCopySizes(run, actions);
    const rows = actions.map((item) => planView(item, run, request, sizeOf));
    // The document's plan keeps its contract; -c projects the table's rows, which add name, size and reasons.
    await emit(context, { document, listKey: 'plan', rows, projected: rows, columns: PLAN_COLUMNS, footer: `dry run: ${request.summary}; nothing was sent` });
    return { exitCode: run.exitCode, document, outcomes: withheld };
  }
  if (!options.yes) {
    if (!context.io.interactive) throw new UsageError(`refusing to ${request.summary} without confirmation: no terminal to ask on; pass --yes to go ahead, or --dry-run to only print the plan`);
    const confirmed = await context.io.confirm(`${request.summary}?`);
    if (context.signal.aborted) {
      context.log.error('interrupted: nothing was sent');
      return { exitCode: ExitCode.interrupted, document: documentOf(run, actions, [], request, false), outcomes: [] };
    }
    if (!confirmed) throw new UsageError('not confirmed: nothing was sent');
  }

  const executed = await execute(context, request, actions);
  const outcomes = request.follow ? await request.follow([...executed, ...already]) : [...executed, ...already];
  return report(context, request, actions, byNode([...outcomes, ...withheld], (outcome) => outcome.action.node), context.signal.aborted);
}

/** Selected nodes the fleet audit found listing the same records as another: what they hold is not known. */
export function withheldNodes(run: Pick<ListingRun<unknown>, 'result' | 'shared'>): Set<string> {
  return new Set(sharedListed(run));
}

/** The listings a plan may be made from: those of withheld nodes are left out, as if they had not answered. */
export function plannable(run: ListingRun<unknown>): NodeListing[] {
  const withheld = withheldNodes(run);
  return run.result.listings.filter((listing) => !withheld.has(listing.name));
}

/** A skipped row for everything the command would ask of each withheld node, and one stderr line for all of them. */
function withheldOutcomes<A extends PlanItem>(context: CommandContext, request: ActRequest<A>): ActionOutcome<A>[] {
  const outcomes: ActionOutcome<A>[] = [];
  const nodes = withheldNodes(request.run);
  for (const group of request.run.shared) {
    for (const node of group.nodes.filter((name) => nodes.has(name))) {
      const others = foldNodeSet(group.nodes.filter((name) => name !== node));
      const error = `not sent: lists the same cache records as ${others} (likely the same worker_self_reference_url), so what it holds is unknown`;
      for (const action of request.withheld(node)) outcomes.push({ action, result: 'skipped', sent: false, error, errorKind: null });
    }
  }
  const one = nodes.size === 1;
  if (nodes.size > 0) context.log.warn(`${foldNodeSet([...nodes])}: nothing sent to ${one ? 'this node' : 'these nodes'}: ${one ? 'its listing does' : 'their listings do'} not tell what ${one ? 'it holds' : 'they hold'}`);
  return outcomes;
}

async function execute<A extends PlanItem>(context: CommandContext, request: ActRequest<A>, actions: A[]): Promise<ActionOutcome<A>[]> {
  const timeouts = new Map(request.run.fleet.nodes.map((node) => [node.name, node.timeoutMs]));
  const onInterrupt = () => context.log.warn('interrupted: starting no more actions; letting those in flight finish (Ctrl-C again to quit at once)');
  context.signal.addEventListener('abort', onInterrupt, { once: true });
  const bytesWord = request.freedBy ? 'freed' : null;
  let tally = emptyTally(actions.length);
  // A terminal where no line is redrawn still hears how the run goes, now and then.
  const plainProgress = !context.io.spinner && Boolean(context.io.stderr.isTTY);
  let plainShownAt = context.now();
  // Failures are said once per node and cause after the run (logFailures); this is what went through.
  const say = request.logsEachAction ? null : actionLogger(context);
  await context.progress.start(progressText(request.doing, tally, bytesWord));
  try {
    return await executePlan(actions, request.send, {
      fanout: context.globals.fanout,
      perNode: request.options.nodeConcurrency,
      interrupt: context.signal,
      timeoutMsOf: (node) => timeouts.get(node) ?? 0,
      now: context.now,
      onSettled: (outcome) => {
        tally = tallyOutcome(tally, outcome, request.freedBy?.(outcome.action) ?? null);
        if (say && (outcome.result === 'done' || outcome.result === 'already')) say(`${outcome.action.node}: ${describeItem(outcome.action, request)}: ${outcome.result}`);
        const text = progressText(request.doing, tally, bytesWord);
        context.progress.update(text);
        const now = context.now();
        if (plainProgress && plainProgressDue(plainShownAt, now)) {
          plainShownAt = now;
          context.log.info(text);
        }
      },
    });
  } finally {
    context.progress.stop();
    context.signal.removeEventListener('abort', onInterrupt);
  }
}

async function report<A extends PlanItem>(context: CommandContext, request: ActRequest<A>, actions: A[], outcomes: ActionOutcome<A>[], interrupted: boolean): Promise<ActResult<A>> {
  logFailures(context, request, outcomes);
  const count = (result: ActionOutcome<A>['result']) => outcomes.filter((outcome) => outcome.result === result).length;
  if (interrupted) {
    context.log.error(`interrupted: ${count('done')} done, ${count('failed')} failed, ${count('unknown') ? `${count('unknown')} unanswered, ` : ''}${count('skipped')} not sent; each is listed in the output`);
  }
  const document = documentOf(request.run, actions, outcomes, request, false);
  const failedNodes = foldNodeSet([...outcomes.filter((outcome) => !succeeded(outcome)).map((outcome) => outcome.action.node), ...request.run.result.listings.filter((listing) => !listing.ok).map((listing) => listing.name)]);
  const tally = [
    `${count('done')} done`,
    `${count('already')} already`,
    `${count('failed')} failed`,
    ...(count('unknown') ? [`${count('unknown')} unanswered (may have taken effect)`] : []),
    ...(count('skipped') ? [`${count('skipped')} not sent`] : []),
  ].join(', ');
  const rows = document.outcome.map((row) => ({ ...row, notInGlance: notInGlance(request, row.image) }));
  await emit(context, { document, listKey: 'outcome', rows, columns: OUTCOME_COLUMNS, footer: failedNodes ? `${tally} (${failedNodes})` : tally });
  return { exitCode: actExitCode(request.run.result.listings, outcomes, interrupted), document, outcomes };
}

/**
 * Logs a line about one action (prune's evictions): as info where no terminal reads stderr (cron logs keep
 * every eviction), else only with -v, so a long run on a terminal is one progress line.
 */
export function actionLogger(context: CommandContext): (line: string) => void {
  return actionLineLevel(Boolean(context.io.stderr.isTTY)) === 'info' ? context.log.info : context.log.verbose;
}

/** One stderr line per node and cause: a dead node with 50 planned actions is one line, not 50. */
function logFailures<A extends PlanItem>(context: CommandContext, request: ActRequest<A>, outcomes: ActionOutcome<A>[]): void {
  const groups = new Map<string, ActionOutcome<A>[]>();
  for (const outcome of outcomes) {
    if (outcome.result !== 'failed' && outcome.result !== 'unknown') continue;
    const key = `${outcome.action.node}\0${outcome.result}\0${outcome.error ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), outcome]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const node = first.action.node;
    const reason =
      first.errorKind === 'forbidden'
        ? explainForbidden(request.policyOf(first.action), node, first.error ?? '')
        : first.result === 'unknown'
          ? `${node}: ${first.error ?? 'no answer'}, after the request went out: it may have taken effect (check with glance-cache where -n ${node})`
          : `${node}: ${first.error ?? 'failed'}`;
    const what = group.slice(0, 3).map((outcome) => describeItem(outcome.action, request)).join(', ');
    const more = group.length > 3 ? ` and ${group.length - 3} more` : '';
    context.log.error(`${reason} (${group.length === 1 ? '' : `${group.length} actions: `}${what}${more})`);
  }
}

/** The plan on stderr before anything is sent, as `action image on nodeset` lines. */
function preview<A extends PlanItem>(context: CommandContext, request: ActRequest<A>, actions: A[], withheld: ActionOutcome<A>[]): void {
  context.log.info(`plan: ${request.summary}:`);
  const lines = groupedLines(actions, request, (item) => describeItem(item, request));
  const alreadyLines = groupedLines(request.already, request, (item) => `${request.alreadyState}${describeImage(item, request) && `:${describeImage(item, request)}`}`);
  const withheldLines = groupedLines(withheld.map((outcome) => outcome.action), request, (item) => `not sent (shared records): ${describeItem(item, request)}`);
  const all = [...lines, ...alreadyLines, ...withheldLines];
  const shown = context.globals.verbose ? all.length : PREVIEW_LINES;
  for (const line of all.slice(0, shown)) context.log.info(`  ${line}`);
  if (all.length > shown) context.log.info(`  … and ${all.length - shown} more lines (-v lists them${request.options.dryRun ? '; the plan on stdout has every action' : ''})`);
}

function groupedLines<A extends PlanItem>(items: readonly A[], request: ActRequest<A>, describe: (item: A) => string): string[] {
  const groups = new Map<string, { item: A; nodes: string[] }>();
  for (const item of items) {
    const key = `${item.action}\0${item.image ?? ''}`;
    const group = groups.get(key) ?? { item, nodes: [] };
    group.nodes.push(item.node);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ item, nodes }) => `${describe(item)} on ${foldNodeSet(nodes)}`);
}

/** 'delete "cirros-0.6.2" (5d3c7a4e-…)', "delete 5d3c7a4e-…" for an image Glance does not name, "clear-cache". */
function describeItem<A extends PlanItem>(item: A, request: ActRequest<A>): string {
  return `${item.action}${describeImage(item, request)}`;
}

function describeImage<A extends PlanItem>(item: A, request: ActRequest<A>): string {
  if (item.image === null) return '';
  const name = request.nameOf(item.image);
  return name ? ` ${planName(name)} (${item.image})` : ` ${item.image}`;
}

function documentOf<A extends PlanItem>(run: ListingRun<unknown>, actions: readonly A[], outcomes: ActionOutcome<A>[], request: ActRequest<A>, dryRun: boolean): ActDocument {
  return {
    ...request.extra,
    dry_run: dryRun,
    plan: actions.map(({ node, image, action }) => ({ node, image, action })),
    outcome: outcomes.map((outcome) => ({
      node: outcome.action.node,
      image: outcome.action.image,
      name: outcome.action.image === null ? null : request.nameOf(outcome.action.image),
      action: outcome.action.action,
      result: outcome.result,
      ok: succeeded(outcome),
      error: outcome.error,
      note: request.noteOf?.(outcome) ?? null,
    })),
    nodes: nodeViews(run),
  };
}

/** One planned action as the --dry-run table shows it (and -c projects it in JSON). */
export interface PlanView extends PlanItem {
  name: string | null;
  /** Bytes: the node's cached copy, else the image's size in Glance; null for a whole-node action. */
  size: number | null;
  reasons: string[];
  /** For the table only (not a column, so never in JSON): see ActRequest.notInGlance. */
  notInGlance: boolean;
}

function planView<A extends PlanItem>(item: A, run: ListingRun<unknown>, request: ActRequest<A>, sizeOf: CachedCopySize): PlanView {
  return {
    node: item.node,
    image: item.image,
    name: item.image === null ? null : request.nameOf(item.image),
    action: item.action,
    size: item.image === null ? null : sizeOf(item.node, item.image) ?? run.result.images.get(item.image)?.size ?? null,
    reasons: [...(request.reasonsOf?.(item) ?? [])],
    notInGlance: notInGlance(request, item.image),
  };
}

function notInGlance<A extends PlanItem>(request: ActRequest<A>, image: string | null): boolean {
  return image !== null && (request.notInGlance?.(image) ?? false);
}

/** The size of a node's cached copy of an image, as its listing gave it; undefined when it holds none. */
export type CachedCopySize = (node: string, image: string) => number | undefined;

/**
 * The sizes of the copies the actions name, in one pass over the listings: a plan of a million actions
 * must not search a node's listing for each.
 */
export function cachedCopySizes(run: ListingRun<unknown>, actions: readonly PlanItem[]): CachedCopySize {
  const key = (node: string, image: string) => `${node}\0${image}`;
  const wanted = new Set(actions.flatMap((action) => (action.image === null ? [] : [key(action.node, action.image)])));
  const sizes = new Map<string, number>();
  for (const listing of run.result.listings) {
    for (const entry of listing.cache?.cached ?? []) if (wanted.has(key(listing.name, entry.id))) sizes.set(key(listing.name, entry.id), entry.size);
  }
  return (node, image) => sizes.get(key(node, image));
}

/** A plan or outcome row as a table shows it: notInGlance is for the table alone, never in JSON. */
type NamedItem = PlanItem & { name: string | null; notInGlance?: boolean };

const ACTION_COLUMNS = {
  node: { header: 'Node', text: (row: PlanItem) => row.node, fit: { shrink: 'middle' } },
  image: { header: 'Image', text: (row: PlanItem) => row.image ?? '', fit: { shrink: 'prefix' } },
  name: { header: 'Name', text: (row: NamedItem, context: DisplayContext) => row.name ?? (row.notInGlance && context.human ? NOT_IN_GLANCE.name : ''), fit: { shrink: 'ellipsis' } },
  action: { header: 'Action', text: (row: PlanItem) => row.action },
} as const;

const PLAN_COLUMNS: Column<PlanView>[] = defineColumns<PlanView, (typeof PLAN_KEYS)[number]>(PLAN_KEYS, {
  ...ACTION_COLUMNS,
  size: { header: 'Size', align: 'right', text: (row, context) => sizeText(row.size, context), fit: { drop: 2 } },
  reasons: { header: 'Reasons', text: (row) => row.reasons.join(','), fit: { shrink: 'ellipsis', drop: 1 } },
});

const OUTCOME_COLUMNS: Column<OutcomeView>[] = defineColumns<OutcomeView, (typeof OUTCOME_KEYS)[number]>(OUTCOME_KEYS, {
  ...ACTION_COLUMNS,
  result: { header: 'Result', text: (row) => row.result },
  error: { header: 'Error', text: (row) => row.error ?? '', fit: { shrink: 'ellipsis' } },
  note: { header: 'Note', text: (row) => row.note ?? '', fit: { shrink: 'ellipsis', drop: 1 } },
});

export interface NodeAccess {
  client: NodeClient;
  /** The API flavour the node showed in the listing: it decides which calls the client makes. */
  api: ApiInfo;
}

/** Legacy nodes take a queue request but nothing caches it until their prefetcher runs (test/fleet/OBSERVED.md). */
export const LEGACY_QUEUE_NOTE = 'legacy cache API: queued only; glance-cache-prefetcher must run on this node to cache it';

/** The note for queue requests sent to legacy nodes, and a warning naming those nodes when there are any. */
export function legacyQueueNotes(context: CommandContext, run: ListingRun<unknown>, actions: readonly PlanItem[]): (outcome: ActionOutcome<PlanItem>) => string | null {
  const legacy = new Set(run.result.listings.filter((listing) => listing.api?.flavor === 'legacy').map((listing) => listing.name));
  const targets = [...new Set(actions.filter((action) => action.action === 'queue' && legacy.has(action.node)).map((action) => action.node))];
  if (targets.length > 0) context.log.warn(`${foldNodeSet(targets)}: legacy cache API: images are only queued there; glance-cache-prefetcher must run on ${targets.length === 1 ? 'that node' : 'those nodes'} to cache them`);
  return ({ action, result }) => (action.action === 'queue' && result === 'done' && legacy.has(action.node) ? LEGACY_QUEUE_NOTE : null);
}

/** How to reach each node that answered the listing; plans only ever name those. */
export function nodeAccess(run: ListingRun<unknown>): (name: string) => NodeAccess {
  const specs = new Map(run.fleet.nodes.map((node) => [node.name, node]));
  const apis = new Map(run.result.listings.flatMap((listing) => (listing.api ? [[listing.name, listing.api] as const] : [])));
  return (name) => {
    const spec = specs.get(name);
    const api = apis.get(name);
    if (!spec || !api) throw new Error(`no answering node named ${name}: a plan may only name nodes that were listed`);
    return { client: run.fleet.client(spec), api };
  };
}
