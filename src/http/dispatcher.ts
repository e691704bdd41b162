/**
 * Keep-alive connections for the run, per origin (a node, the images API, Keystone) within a profile
 * (TLS settings, connect timeout, connections per origin). Each node is an origin of its own, so a
 * pool that kept every origin it met would hold one socket per node until the run ends: under the usual
 * `ulimit -n` of 1024, a 2000-node listing failed half of them with EMFILE. Here an origin with no call
 * in flight is kept for the next call only while it is among the IDLE_ORIGINS most recently used; past
 * that its connections are closed, so open sockets stay at the calls in flight (the fan-out) plus a
 * constant.
 */
import { Agent, type Dispatcher } from 'undici';
import { fileErrorReason, readConfigFileSync } from '../inventory/config-file.js';
import { ConfigError } from '../errors.js';
import { pemBundleProblem } from './ca-bundle.js';
import { IDLE_ORIGINS } from './idle-origins.js';

export interface TransportProfile {
  connectTimeoutMs: number;
  /** PEM bundle path to trust instead of the system store. */
  caFile?: string | undefined;
  insecure?: boolean | undefined;
  /** Connections kept open to each node: 1 unless a command sends a node several requests at once. */
  connections?: number | undefined;
}

/** What the HTTP client needs of a dispatcher: undici's promise-returning request(). */
export interface Requester {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  /** Its connect timeout, for the message when one fires. */
  readonly connectTimeoutMs?: number;
}

interface Origin {
  key: string;
  owner: Map<string, Origin>;
  dispatcher: Dispatcher;
  /** Calls sent and not yet finished (their body read, or abandoned). */
  calls: number;
}

export class DispatcherPool {
  private readonly profiles = new Map<string, Requester>();
  private readonly origins = new Set<Origin>();
  /** Origins with no call in flight, least recently used first (a Map keeps insertion order). */
  private readonly idle = new Map<Origin, true>();

  constructor(private readonly readFile: (path: string) => string = readConfigFileSync) {}

  get(profile: TransportProfile): Requester {
    const connections = profile.connections ?? 1;
    const key = JSON.stringify([profile.connectTimeoutMs, profile.caFile ?? null, profile.insecure ?? false, connections]);
    let requester = this.profiles.get(key);
    if (!requester) {
      const options: Agent.Options = {
        connect: {
          timeout: profile.connectTimeoutMs,
          ...(profile.caFile ? { ca: this.readCa(profile.caFile) } : {}),
          ...(profile.insecure ? { rejectUnauthorized: false } : {}),
        },
        keepAliveTimeout: 10_000,
        // One connection per node unless asked: a listing sends a node one request at a time, and a plain
        // Client per origin costs far less to set up than a Pool (seconds of CPU over a 1000-node fan-out).
        connections,
      };
      const byOrigin = new Map<string, Origin>();
      // An Agent per origin, since an Agent is what undici's public API lets one close on its own; with
      // connections: 1 it holds one plain Client. (Client itself would mean loading undici's whole index.)
      requester = { request: (request) => this.send(byOrigin, () => new Agent(options), request), connectTimeoutMs: profile.connectTimeoutMs };
      this.profiles.set(key, requester);
    }
    return requester;
  }

  /** One call through its origin's own dispatcher, which is kept while the call lasts and a while after. */
  private async send(byOrigin: Map<string, Origin>, create: () => Dispatcher, request: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    const key = String(request.origin);
    let origin = byOrigin.get(key);
    if (!origin) {
      origin = { key, owner: byOrigin, dispatcher: create(), calls: 0 };
      byOrigin.set(key, origin);
      this.origins.add(origin);
    }
    origin.calls++;
    this.idle.delete(origin);
    let response: Dispatcher.ResponseData;
    try {
      response = await origin.dispatcher.request(request);
    } catch (error) {
      this.finished(origin);
      throw error;
    }
    // 'close' follows the body's end, and its destruction on an error, an abort or the size cap alike.
    response.body.once('close', () => this.finished(origin));
    return response;
  }

  private finished(origin: Origin): void {
    // A call abandoned by close() ends after its origin was forgotten: nothing is left to keep.
    if (--origin.calls > 0 || !this.origins.has(origin)) return;
    this.idle.set(origin, true);
    for (const [oldest] of this.idle) {
      if (this.idle.size <= IDLE_ORIGINS) break;
      this.idle.delete(oldest);
      this.forget(oldest);
      // Nothing is in flight on it: a graceful close ends its sockets at once.
      void oldest.dispatcher.close().catch(() => undefined);
    }
  }

  private forget(origin: Origin): void {
    origin.owner.delete(origin.key);
    this.origins.delete(origin);
  }

  private readCa(path: string): string {
    let text: string;
    try {
      text = this.readFile(path);
    } catch (error) {
      throw new ConfigError({ file: path }, `cannot read this CA bundle: ${fileErrorReason(error)}`);
    }
    const problem = pemBundleProblem(text);
    if (problem) throw new ConfigError({ file: path }, problem);
    return text;
  }

  /**
   * Ends every connection. Whatever is still in flight when a run ends was abandoned (timed out or
   * interrupted): a graceful close would wait for it, and a node dripping its body would hold the run.
   */
  async close(): Promise<void> {
    const open = [...this.origins];
    for (const origin of open) this.forget(origin);
    this.idle.clear();
    await Promise.all(open.map((origin) => origin.dispatcher.destroy()));
  }
}
