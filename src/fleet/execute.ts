/**
 * Carries out a plan: nodes in parallel (up to --fanout at once, each within its own deadline) and a few
 * actions at a time within a node. Each planned action is sent once and nothing else is. Ctrl-C stops new
 * actions from starting while those in flight run to their end (or the node's deadline), so the outcome
 * says exactly what each node did, or that it did not answer after the request went out ('unknown').
 * Never throws: every action gets exactly one outcome, in plan order.
 */
import { outcomeUnknown, type ActionOutcome } from '../core/plan-outcome.js';
import { toFailure } from '../http/client.js';
import type { RequestFailure } from '../http/failure.js';
import { fanOut } from './fanout.js';

/** Sends one action; 'already' when the node answered that it was already in that state. */
export type ActionRunner<A> = (action: A, signal: AbortSignal) => Promise<'done' | 'already'>;

export interface ExecuteOptions<A> {
  /** Nodes worked on at once. */
  fanout: number;
  /** Actions in flight at once on one node. */
  perNode: number;
  /** The run's Ctrl-C: checked before each action starts; it does not abort actions in flight. */
  interrupt: AbortSignal;
  /** All of one node's actions share this deadline, so a hung node costs its timeout once. */
  timeoutMsOf: (node: string) => number;
  now: () => number;
  onSettled?: (outcome: ActionOutcome<A>) => void;
}

/** fanOut's run-wide signal: left unaborted, so Ctrl-C never cuts a request the node may already have carried out. */
const NOT_ABORTED = new AbortController().signal;

export async function executePlan<A extends { node: string }>(actions: readonly A[], run: ActionRunner<A>, options: ExecuteOptions<A>): Promise<ActionOutcome<A>[]> {
  const outcomes = new Array<ActionOutcome<A> | undefined>(actions.length);
  const started = new Set<number>();
  let sealed = false;
  const settle = (index: number, outcome: ActionOutcome<A>) => {
    // After a node's deadline its late answers are not news: the outcome was already written as failed.
    if (sealed || outcomes[index]) return;
    outcomes[index] = outcome;
    options.onSettled?.(outcome);
  };

  const byNode = new Map<string, number[]>();
  actions.forEach((action, index) => {
    const indexes = byNode.get(action.node) ?? [];
    indexes.push(index);
    byNode.set(action.node, indexes);
  });
  const groups = [...byNode.entries()];

  const nodeOutcomes = await fanOut(
    groups,
    async ([, indexes], signal) => {
      let next = 0;
      const worker = async () => {
        while (next < indexes.length && !options.interrupt.aborted && !signal.aborted) {
          const index = indexes[next++]!;
          const action = actions[index]!;
          started.add(index);
          try {
            settle(index, { action, result: await run(action, signal), sent: true, error: null, errorKind: null });
          } catch (error) {
            const failure = toFailure(error, signal);
            settle(index, { action, result: outcomeUnknown(failure.kind) ? 'unknown' : 'failed', sent: true, error: failure.message, errorKind: failure.kind });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.perNode, indexes.length) }, worker));
    },
    { concurrency: options.fanout, signal: NOT_ABORTED, timeoutMsOf: ([node]) => options.timeoutMsOf(node), now: options.now },
  );

  for (const outcome of nodeOutcomes) {
    const nodeFailure = outcome.ok ? null : outcome.failure;
    for (const index of outcome.node[1]) {
      if (!outcomes[index]) settle(index, unsettled(actions[index]!, started.has(index), nodeFailure, options.interrupt.aborted));
    }
  }
  sealed = true;
  return outcomes as ActionOutcome<A>[];
}

/** An action with no answer: cut by its node's deadline in flight (it may have been done), or never started. */
function unsettled<A>(action: A, started: boolean, nodeFailure: RequestFailure | null, interrupted: boolean): ActionOutcome<A> {
  if (nodeFailure && started) return { action, result: 'unknown', sent: true, error: nodeFailure.message, errorKind: nodeFailure.kind };
  if (nodeFailure && !interrupted) return { action, result: 'failed', sent: false, error: `not sent: ${nodeFailure.message}`, errorKind: nodeFailure.kind };
  return { action, result: 'skipped', sent: false, error: 'not sent: interrupted', errorKind: 'aborted' };
}
