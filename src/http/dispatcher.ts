/**
 * Keep-alive connection pools, one per TLS/connect-timeout profile, shared by every node of the run.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { Agent } from './undici-agent.js';

export interface TransportProfile {
  connectTimeoutMs: number;
  /** PEM bundle path to trust instead of the system store. */
  caFile?: string | undefined;
  insecure?: boolean | undefined;
}

export class DispatcherPool {
  private readonly agents = new Map<string, Dispatcher>();

  constructor(private readonly readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')) {}

  get(profile: TransportProfile): Dispatcher {
    const key = JSON.stringify([profile.connectTimeoutMs, profile.caFile ?? null, profile.insecure ?? false]);
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: {
          timeout: profile.connectTimeoutMs,
          ...(profile.caFile ? { ca: this.readFile(profile.caFile) } : {}),
          ...(profile.insecure ? { rejectUnauthorized: false } : {}),
        },
        keepAliveTimeout: 10_000,
        // One connection per node: a node gets one request at a time from us, and a plain Client per
        // origin costs far less to set up than a Pool (seconds of CPU over a 1000-node fan-out).
        connections: 1,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
    this.agents.clear();
  }
}
