/**
 * What real-fleet test files share: the fleet's description, the environment its env.sh sets, and a
 * describe() that skips loudly outside CI and fails inside it when no fleet runs. Which fleet: the one in
 * GLANCE_CACHE_FLEET_DIR, of release GLANCE_CACHE_FLEET_RELEASE (scripts/test.mjs sets both, once per
 * release); `fleet.release` says which one a test faces.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'vitest';
import { realFleetAvailable, type FleetFile } from '../contract/real-fleet.js';

const availability = realFleetAvailable();

export function describeReal(name: string, body: (fleet: FleetFile, env: Record<string, string>) => void): void {
  if (!availability.ok) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('has a real fleet to run against', () => {
          throw new Error(`no real Glance fleet: ${availability.reason}`);
        });
      });
    } else {
      console.warn(`\n*** SKIPPED: ${name} (real Glance fleet). ${availability.reason} ***\n`);
    }
    return;
  }
  const { fleet, file } = availability;
  describe(`${name} (${fleet.release})`, () => body(fleet, fleetEnv(dirname(file))));
}

/** The variables env.sh exports, as a test's environment (an operator who sourced it). */
function fleetEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(dir, 'env.sh'), 'utf8').split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1');
  }
  return env;
}

/**
 * Just one clouds.yaml entry, none of env.sh's OS_* credentials: those would beat the file, as a
 * flag beats the environment and the environment beats clouds.yaml.
 */
export function onlyCloud(env: Record<string, string>, cloud: string): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('OS_') || key === 'OS_CLIENT_CONFIG_FILE'));
  return { ...kept, OS_CLOUD: cloud };
}

/** Raw GET /v2/cache on one node, bypassing glance-cache: what the node itself says. */
export async function nodeCache(nodeUrl: string, token: string): Promise<{ cached: string[]; queued: string[] }> {
  const response = await fetch(`${nodeUrl}/v2/cache`, { headers: { 'x-auth-token': token, accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`${nodeUrl}/v2/cache answered ${response.status}`);
  const body = (await response.json()) as { cached_images: { image_id: string }[]; queued_images: string[] };
  return { cached: body.cached_images.map((image) => image.image_id).sort(), queued: [...body.queued_images].sort() };
}

/** A Keystone token for the fleet's admin or member user. */
export async function fleetToken(fleet: FleetFile, user: 'admin' | 'member'): Promise<string> {
  const who = fleet[user];
  const response = await fetch(`${fleet.keystone.url.replace(/\/v3\/?$/, "")}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: who.username, domain: { name: who.user_domain }, password: who.password } } },
        scope: { project: { name: who.project, domain: { name: who.project_domain } } },
      },
    }),
  });
  const token = response.headers.get('x-subject-token');
  if (response.status !== 201 || !token) throw new Error(`Keystone answered ${response.status}`);
  return token;
}
