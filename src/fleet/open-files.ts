/**
 * How many files a run may hold open against the soft RLIMIT_NOFILE (`ulimit -n`). Node cannot raise
 * it (it has no setrlimit; a native addon or a re-exec through a shell could) and needs not: connections
 * are pooled across nodes and closed as nodes finish (src/http/dispatcher.ts), so a run holds about its
 * fan-out in sockets, whatever the size of the fleet. Only a fan-out set above the limit can still run
 * out, and that is said before anything is sent rather than as one EMFILE per node.
 */
import { readFileSync } from 'node:fs';
import { LOOKUP_CONCURRENCY, LOOKUP_IN_FLIGHT } from '../glance/images-client.js';
import { IDLE_ORIGINS } from '../http/idle-origins.js';

/** Descriptors besides the connections: stdio, Node's event loop, the decoding threads, files read. */
const OWN_DESCRIPTORS = 64;

/** The soft limit from /proc/self/limits; null where that file does not exist (not Linux) or says unlimited. */
export function softOpenFilesLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
  let limits: string;
  try {
    limits = read();
  } catch {
    return null;
  }
  const soft = /^Max open files\s+(\d+)\s/m.exec(limits)?.[1];
  return soft === undefined ? null : Number(soft);
}

/** Most descriptors a run may hold at once: its nodes' connections in flight, the idle ones kept, name lookups. */
export function descriptorsNeeded(fanout: number, connectionsPerNode: number): number {
  return fanout * connectionsPerNode + IDLE_ORIGINS * Math.max(connectionsPerNode, LOOKUP_CONCURRENCY) + LOOKUP_IN_FLIGHT + OWN_DESCRIPTORS;
}

/** A warning when the run may need more than the limit, else the figures for --debug; null with no limit known. */
export function openFilesNote(limit: number | null, fanout: number, connectionsPerNode: number): { warning: boolean; text: string } | null {
  if (limit === null) return null;
  const needed = descriptorsNeeded(fanout, connectionsPerNode);
  const per = connectionsPerNode === 1 ? '' : ` x ${connectionsPerNode} connections per node`;
  if (needed > limit) {
    return {
      warning: true,
      text: `--fanout ${fanout}${per} may need ${needed} open files, more than this process may open (ulimit -n: ${limit}): nodes past the limit fail with "too many open files"; lower --fanout or raise ulimit -n`,
    };
  }
  return { warning: false, text: `open files: up to ${needed} needed (--fanout ${fanout}${per}), soft limit ${limit} (ulimit -n)` };
}
