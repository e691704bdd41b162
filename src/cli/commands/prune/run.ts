/**
 * prune: glance-cache-pruner for the whole fleet, made to run from cron. One run at a time (the lock);
 * the plan from src/core/plan-prune, carried out by act() like every other acting command; then the
 * proof (--summary) and the figures (--metrics-file), written whatever way the run ended once it held
 * the lock.
 */
import { resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { plural } from '../../../core/plan.js';
import { planPrune, type PrunePlan, type PruneAction, type PrunePolicy } from '../../../core/plan-prune.js';
import { tallyPrune, type NodeTally } from '../../../core/prune-tally.js';
import { formatSize } from '../../../core/units.js';
import { ConfigError, ExitCode, exitCodeOf, GlanceCacheError, UsageError, type ExitCodeValue } from '../../../errors.js';
import { withOutputLost } from '../../../core/outcome.js';
import { isImageId } from '../../../glance/parse.js';
import { RequestFailure } from '../../../http/failure.js';
import { locateInventory } from '../../../inventory/locate.js';
import { foldNodeSet } from '../../../inventory/nodeset.js';
import type { PruneResult } from '../../../core/model.js';
import { sharedPath } from '../../../unattended/distinct-paths.js';
import { acquireLock, defaultLockPath, linuxProcessStart, pidIsAlive, prepareLockDirectory } from '../../../unattended/lock.js';
import { writeMetricsFile } from '../../../unattended/metrics.js';
import { outputPathProblem } from '../../../unattended/output-paths.js';
import { writeSummaryFile } from '../../../unattended/summary.js';
import { act, actionLogger, nodeAccess, plannable, withListing, type ActRequest } from '../../act/act.js';
import { actOptions, type ActOptions } from '../../act/options.js';
import type { CommandContext } from '../../context.js';
import type { ListingRun } from '../../listing-run.js';
import { requireImageStatuses } from '../../listing-run.js';
import { nodeViews } from '../../views.js';
import { documentExtra, freedText, planSummary } from './view.js';
import { pruneSettings, type PruneOptions, type PruneSettings } from './options.js';

/** What the reports need of a run, filled in as far as the run got. */
interface RunRecord {
  document: Record<string, unknown> | null;
  tallies: NodeTally[];
  dryRun: boolean;
}

export async function run(context: CommandContext, _args: string[], options: PruneOptions): Promise<number> {
  const startedAt = context.now();
  const actSettings = actOptions(options);
  const settings = pruneSettings(options);
  const summary = settings.summary === undefined ? undefined : resolve(context.cwd, settings.summary);
  const metrics = settings.metricsFile === undefined ? undefined : resolve(context.cwd, settings.metricsFile);
  // Before the lock and before any request: a report that cannot be written is found now, not after the deletions.
  for (const [flag, path] of [['--summary', summary], ['--metrics-file', metrics]] as const) if (path) await requireOutputPath(flag, path);
  const uid = process.getuid?.() ?? 0;
  const lockPath = settings.lock === undefined ? defaultLockPath(context.env, uid) : resolve(context.cwd, settings.lock);
  const inventory = await locateInventory({ flag: context.globals.inventory, env: context.env, cwd: context.cwd, home: context.home });
  const shared = await sharedPath([
    ...(summary ? [{ what: '--summary', path: summary }] : []),
    ...(metrics ? [{ what: '--metrics-file', path: metrics }] : []),
    { what: '--lock', path: lockPath },
    { what: 'the inventory', path: inventory.path },
  ]);
  if (shared) throw new UsageError(`${shared}: give each its own file`);
  const lock = await takeLock(context, settings, lockPath, uid);
  // Held until the lock is released: a second Ctrl-C cuts the requests in flight, and the run still reports.
  const releaseQuit = context.quit?.hold();
  context.quit?.signal.addEventListener('abort', () => context.log.warn('interrupted again: no longer waiting for the requests in flight; reporting what is known (Ctrl-C once more to quit at once)'), { once: true });
  const record: RunRecord = { document: null, tallies: [], dryRun: actSettings.dryRun };
  let exitCode: ExitCodeValue = ExitCode.internal;
  let failure: string | null = null;
  let thrown: unknown;
  try {
    exitCode = await pruneFleet(context, settings, actSettings, record);
  } catch (error) {
    exitCode = exitCodeOf(error, context.signal.aborted);
    failure = error instanceof Error ? error.message : String(error);
    thrown = error;
  }
  // A reader that left (`prune … | head -c 10`) is told by an EPIPE on the tick after the write.
  await setImmediate();
  if (context.io.stdout.closed) {
    const lost = `stdout was closed by its reader (EPIPE): the outcome printed there was lost${summary ? '; it is in --summary' : ''}`;
    context.log.error(lost);
    // As for a report that cannot be written (withOutputLost); the run's own failure stays its error.
    if (exitCode === ExitCode.ok) failure = lost;
    exitCode = withOutputLost(exitCode);
  }
  const finishedAt = context.now();
  const summaryWritten = await report(context, '--summary', summary, () =>
    writeSummaryFile(summary!, { startedAt, finishedAt, exitCode, error: failure, document: record.document, tallies: record.tallies }, context.scrubber),
  );
  const metricsWritten = await report(context, '--metrics-file', metrics, () =>
    writeMetricsFile(metrics!, { nodes: record.tallies, durationSeconds: (finishedAt - startedAt) / 1000, finishedAt: finishedAt / 1000, success: exitCode === ExitCode.ok && !record.dryRun, interrupted: exitCode === ExitCode.interrupted }, context.scrubber),
  );
  await lock.release().catch((error: unknown) => context.log.error(`${lock.path}: could not remove the lock: ${(error as Error).message}`));
  releaseQuit?.();
  if (thrown !== undefined) throw thrown;
  // The caches were pruned, but the proof cron keeps (summary, metrics) was lost: not a success.
  return summaryWritten && metricsWritten ? exitCode : withOutputLost(exitCode);
}

async function takeLock(context: CommandContext, settings: PruneSettings, path: string, uid: number) {
  if (settings.lock === undefined) await prepareLockDirectory(path, uid);
  try {
    return await acquireLock(path, { pid: process.pid, now: context.now, isAlive: pidIsAlive, processStart: linuxProcessStart, warn: (line) => context.log.warn(line) });
  } catch (error) {
    if (error instanceof GlanceCacheError) throw error;
    // A lock path that cannot be created (no such directory, not a directory, no permission) is configuration.
    throw new ConfigError({ file: path, field: '--lock' }, `cannot take the lock: ${(error as Error).message}`);
  }
}

async function pruneFleet(context: CommandContext, settings: PruneSettings, options: ActOptions, record: RunRecord): Promise<ExitCodeValue> {
  return withListing(context, { connectionsPerNode: options.nodeConcurrency, withImages: true, discover: settings.policy.serverSide }, async (run) => {
    record.tallies = tallyPrune(run.result.listings, [], [], new Map());
    const protect = [...run.fleet.inventory.protect, ...settings.keep];
    if (settings.policy.orphans) requireImageStatuses(run);
    const byName = protect.filter((term) => !isImageId(term));
    if (byName.length > 0 && run.result.namesError) {
      throw new GlanceCacheError(`cannot tell which cached images are protected by name (${byName.join(', ')}): ${run.result.namesError}`, ExitCode.failed);
    }
    const policy: PrunePolicy = { ...settings.policy, protect };
    // Nodes the fleet audit withholds are not planned for (their listings are not their own): see act/act.ts.
    const plan = planPrune(plannable(run), run.result.images, policy, context.now());
    if (plan.keptClientSide.length > 0) {
      context.log.warn(`${foldNodeSet(plan.keptClientSide)}: pruned client-side, not by the node itself: ${plan.keptClientSide.length === 1 ? 'it caches' : 'they cache'} a protected image that the node's own pruner would not spare`);
    }
    const nameOf = (id: string) => run.result.images.get(id)?.name ?? null;
    const extra = documentExtra(run, settings, protect, plan, nameOf);
    record.document = { ...extra, dry_run: options.dryRun, plan: plan.actions, outcome: [], nodes: nodeViews(run) };
    const serverSide = new Map<string, PruneResult>();
    const request: ActRequest<PruneAction> = {
      run,
      actions: plan.actions,
      already: [],
      withheld: (node) => [{ node, image: null, action: 'prune' }],
      summary: planSummary(plan),
      alreadyState: 'already gone',
      nothingToDo: 'nothing to prune: every node is within the policies',
      doing: 'Pruning',
      logsEachAction: true,
      send: sender(context, run, plan, serverSide, nameOf),
      freedBy: freedBy(plan, serverSide),
      policyOf: () => 'delete',
      nameOf,
      notInGlance: (id) => run.result.namesError === null && !run.result.images.has(id),
      reasonsOf: reasonsOf(plan),
      extra,
      options,
    };
    if (plan.overMaxDeletes) {
      // The plan is printed exactly as a dry run prints it, so the operator sees what the cap stopped.
      const shown = await act(context, { ...request, extra: { ...extra, max_deletes_exceeded: true }, options: { ...options, dryRun: true } });
      record.document = shown.document;
      throw new UsageError(`the plan has ${plural(plan.deletions, 'deletion')}, more than --max-deletes ${policy.maxDeletes}: nothing was deleted`);
    }
    const result = await act(context, request);
    record.document = result.document;
    record.tallies = tallyPrune(run.result.listings, plan.evictions, result.outcomes, serverSide);
    if (!options.dryRun && result.outcomes.length > 0) context.log.info(freedText(record.tallies));
    return result.exitCode;
  });
}

/** Why each deletion is planned, as the evictions in the JSON say; a server-side prune has the node's own. */
function reasonsOf(plan: PrunePlan): (action: PruneAction) => readonly string[] {
  const reasons = new Map(plan.evictions.map((eviction) => [`${eviction.node}\0${eviction.image}`, eviction.reasons]));
  return (action) => (action.image === null ? [] : reasons.get(`${action.node}\0${action.image}`) ?? []);
}

/**
 * Sends one action and logs one line for it (actionLogger): cron logs then show every eviction with its
 * reasons; a terminal shows the progress line instead, and these lines with -v.
 */
function sender(context: CommandContext, run: ListingRun<unknown>, plan: PrunePlan, serverSide: Map<string, PruneResult>, nameOf: (id: string) => string | null): ActRequest<PruneAction>['send'] {
  const access = nodeAccess(run);
  const evictions = evictionsByAction(plan);
  const say = actionLogger(context);
  return async (action, signal) => {
    const { client, api } = access(action.node);
    if (action.image === null) {
      const pruned = await untilQuit(context, signal, (cut) => client.prune(cut));
      serverSide.set(action.node, pruned);
      say(`${action.node}: server-side prune evicted ${plural(pruned.filesPruned, 'image')} (${formatSize(pruned.bytesPruned)})`);
      return 'done';
    }
    const eviction = evictions.get(`${action.node}\0${action.image}`)!;
    const name = nameOf(action.image);
    const what = name ? `${name} (${action.image})` : action.image;
    const deleted = (await untilQuit(context, signal, (cut) => client.dequeueOrDelete(api, action.image!, cut))) === 'deleted';
    say(`${action.node}: ${deleted ? 'evicted' : 'already gone:'} ${what}, ${formatSize(eviction.size)} [${eviction.reasons.join(', ')}]`);
    return deleted ? 'done' : 'already';
  };
}

function evictionsByAction(plan: PrunePlan): Map<string, PrunePlan['evictions'][number]> {
  return new Map(plan.evictions.map((eviction) => [`${eviction.node}\0${eviction.image}`, eviction]));
}

/** An eviction frees its copy's size; a server-side prune what its answer says (in serverSide once it came). */
function freedBy(plan: PrunePlan, serverSide: ReadonlyMap<string, PruneResult>): (action: PruneAction) => number | null {
  const evictions = evictionsByAction(plan);
  return (action) => (action.image === null ? (serverSide.get(action.node)?.bytesPruned ?? null) : (evictions.get(`${action.node}\0${action.image}`)?.size ?? null));
}

/**
 * One request, cut by a second Ctrl-C: it was sent and its answer is no longer awaited, so its outcome is
 * unknown (the node may have carried it out), and the report follows at once.
 */
async function untilQuit<T>(context: CommandContext, signal: AbortSignal, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const quit = context.quit?.signal;
  if (!quit) return send(signal);
  try {
    return await send(AbortSignal.any([signal, quit]));
  } catch (error) {
    if (quit.aborted && !signal.aborted) throw new RequestFailure('aborted', 'sent, but its answer was not awaited (interrupted twice)');
    throw error;
  }
}

async function requireOutputPath(flag: string, path: string): Promise<void> {
  const problem = await outputPathProblem(path);
  if (problem) throw new UsageError(`${flag} ${path}: ${problem}`);
}

/**
 * Writes one report file; false (after one error line) when it could not be written. A report that cannot
 * be written is an error of its own: it does not undo or hide the run's outcome.
 */
async function report(context: CommandContext, flag: string, path: string | undefined, write: () => Promise<void>): Promise<boolean> {
  if (!path) return true;
  try {
    await write();
    return true;
  } catch (error) {
    context.log.error(`${flag} ${path}: ${(error as Error).message}`);
    return false;
  }
}
