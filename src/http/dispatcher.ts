/**
 * Keep-alive connection pools, one per TLS/connect-timeout profile, shared by every node of the run.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { Agent } from './undici-agent.js';
import { ConfigError } from '../errors.js';

export interface TransportProfile {
  connectTimeoutMs: number;
  /** PEM bundle path to trust instead of the system store. */
  caFile?: string | undefined;
  insecure?: boolean | undefined;
  /** Connections kept open to each node: 1 unless a command sends a node several requests at once. */
  connections?: number | undefined;
}

export class DispatcherPool {
  private readonly agents = new Map<string, Dispatcher>();

  constructor(private readonly readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')) {}

  get(profile: TransportProfile): Dispatcher {
    const connections = profile.connections ?? 1;
    const key = JSON.stringify([profile.connectTimeoutMs, profile.caFile ?? null, profile.insecure ?? false, connections]);
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: {
          timeout: profile.connectTimeoutMs,
          ...(profile.caFile ? { ca: this.readCa(profile.caFile) } : {}),
          ...(profile.insecure ? { rejectUnauthorized: false } : {}),
        },
        keepAliveTimeout: 10_000,
        // One connection per node unless asked: a listing sends a node one request at a time, and a plain
        // Client per origin costs far less to set up than a Pool (seconds of CPU over a 1000-node fan-out).
        connections,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  private readCa(path: string): string {
    try {
      return this.readFile(path);
    } catch (error) {
      throw new ConfigError({ file: path }, `cannot read this CA bundle (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }

  /**
   * Ends every connection. Whatever is still in flight when a run ends was abandoned (timed out or
   * interrupted): a graceful close would wait for it, and a node dripping its body would hold the run.
   */
  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.destroy()));
    this.agents.clear();
  }
}
