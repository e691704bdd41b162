/**
 * The real Glance fleet started by test/fleet/fleet.sh, as tests see it: its fleet.json, Keystone sessions
 * for its admin and member users, and reads through a node (the way a real image gets cached).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request, type Dispatcher } from 'undici';
import { createSession } from '../../src/auth/session.js';
import type { Session } from '../../src/auth/types.js';
import type { HttpClient } from '../../src/http/client.js';
import { SecretScrubber } from '../../src/http/redact.js';

export interface FleetUser {
  username: string;
  password: string;
  project: string;
  user_domain: string;
  project_domain: string;
}

export interface FleetNode {
  name: string;
  url: string;
  port: number;
  pid: number;
  cache_dir: string;
}

export interface FleetImage {
  id: string;
  name: string;
  size: number;
  cached_on: string[];
}

/** The Glance releases test/fleet/fleet.sh starts: Zed from Debian 12, Epoxy from Debian 13 (in a chroot). */
export type FleetRelease = 'zed' | 'epoxy';

export interface FleetFile {
  release: FleetRelease;
  glance: { package: string; cache_driver: 'sqlite' | 'centralized_db' };
  keystone: { url: string; pid: number };
  nodes: FleetNode[];
  images: FleetImage[];
  admin: FleetUser;
  member: FleetUser;
}

export type FleetAvailability = { ok: true; fleet: FleetFile; file: string } | { ok: false; reason: string };

/** fleet.sh's state dir: GLANCE_CACHE_FLEET_DIR, else the default of GLANCE_CACHE_FLEET_RELEASE (zed when unset). */
export function fleetFile(env: NodeJS.ProcessEnv = process.env): string {
  const byRelease = env.GLANCE_CACHE_FLEET_RELEASE === 'epoxy' ? '/tmp/glance-cache-fleet-epoxy' : '/tmp/glance-cache-fleet';
  return join(env.GLANCE_CACHE_FLEET_DIR || byRelease, 'fleet.json');
}

/**
 * The fleet is there when fleet.json exists, every process it recorded is alive, and it is the release
 * GLANCE_CACHE_FLEET_RELEASE asks for (scripts/test.mjs sets it, so a run never checks one release's facts
 * against the other's fleet).
 */
export function realFleetAvailable(env: NodeJS.ProcessEnv = process.env): FleetAvailability {
  const file = fleetFile(env);
  const wanted = env.GLANCE_CACHE_FLEET_RELEASE;
  const start = `start it with: bash test/fleet/fleet.sh start${wanted ? ` --release ${wanted}` : ''}`;
  if (!existsSync(file)) return { ok: false, reason: `${file} does not exist; ${start}` };
  let fleet: FleetFile;
  try {
    fleet = JSON.parse(readFileSync(file, 'utf8')) as FleetFile;
  } catch (error) {
    return { ok: false, reason: `${file} is not readable JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const processes = [{ name: 'keystone', pid: fleet.keystone?.pid }, ...(fleet.nodes ?? []).map((node) => ({ name: node.name, pid: node.pid }))];
  const dead = processes.filter((entry) => typeof entry.pid !== 'number' || !alive(entry.pid)).map((entry) => entry.name);
  if (dead.length > 0) return { ok: false, reason: `${file} lists processes that are not running (${dead.join(', ')}); ${start}` };
  if (wanted && fleet.release !== wanted) return { ok: false, reason: `${file} holds a ${String(fleet.release)} fleet, not ${wanted}; ${start}` };
  return { ok: true, fleet, file };
}

/** A Keystone password session for one of the fleet's users, as the CLI would hold one. */
export function fleetSession(fleet: FleetFile, user: 'admin' | 'member', http: HttpClient): Session {
  const account = fleet[user];
  return createSession(
    {
      type: 'password',
      authUrl: fleet.keystone.url,
      username: account.username,
      password: account.password,
      userDomainName: account.user_domain,
      projectName: account.project,
      projectDomainName: account.project_domain,
      common: { interface: 'public', origin: `${fleetFile()} (${user})` },
    },
    { http, scrubber: new SecretScrubber() },
  );
}

/** Reads the image's data through the node: Glance's cache middleware keeps a copy there. */
export async function readThroughNode(nodeUrl: string, imageId: string, token: string | null, dispatcher: Dispatcher): Promise<void> {
  const response = await request(`${nodeUrl}/v2/images/${imageId}/file`, { headers: token === null ? {} : { 'x-auth-token': token }, dispatcher });
  // All of it: Glance only keeps the cached copy when the whole image went through.
  await response.body.arrayBuffer();
  if (response.statusCode !== 200) throw new Error(`reading image ${imageId} through ${nodeUrl} answered ${response.statusCode}`);
}

function alive(pid: number): boolean {
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
