import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCredentials, type ConfigFiles } from '../../../src/auth/load.js';
import { ConfigError } from '../../../src/errors.js';
import { SECRETS } from './support.js';

const CLOUDS = '/home/op/.config/openstack/clouds.yaml';

function files(content: Record<string, [string, number]>): ConfigFiles & { reads: string[] } {
  const reads: string[] = [];
  const facts = (path: string) => ({ uid: process.geteuid?.() ?? 0, mode: content[path]![1], directory: false });
  return {
    reads,
    async readFile(path) {
      reads.push(path);
      return { text: content[path]![0], facts: facts(path) };
    },
    async stat(path) {
      return content[path] ? facts(path) : undefined;
    },
  };
}

const sources = { flags: {}, cwd: '/srv', home: '/home/op' };
const withCloud = { [CLOUDS]: [`clouds:\n  prod:\n    auth:\n      auth_url: http://ks:5000\n      username: u\n      password: ${SECRETS.password}\n`, 0o644] as [string, number] };

describe('loadCredentials', () => {
  it('reads clouds.yaml for the named cloud and passes its warnings on', async () => {
    const loaded = await loadCredentials({ ...sources, env: { OS_CLOUD: 'prod' } }, files(withCloud));
    expect(loaded.credentials).toMatchObject({ type: 'password', authUrl: 'http://ks:5000', username: 'u', common: { origin: `clouds.yaml cloud "prod" (${CLOUDS})` } });
    expect(loaded.warnings).toEqual([expect.stringContaining(`${CLOUDS}: holds credentials but is accessible by group and others`)]);
  });

  it('takes the cloud from the inventory when nothing else names one', async () => {
    const loaded = await loadCredentials({ ...sources, env: {}, inventoryAuth: { settings: { cloud: 'prod' }, at: { file: 'inventory.yaml', line: 3 } } }, files(withCloud));
    expect(loaded.credentials.type).toBe('password');
  });

  it('reads no file when no cloud is named, or under --no-auth', async () => {
    const io = files(withCloud);
    expect((await loadCredentials({ ...sources, env: { OS_AUTH_TOKEN: SECRETS.fixedToken } }, io)).credentials.type).toBe('token');
    expect((await loadCredentials({ ...sources, flags: { auth: false }, env: { OS_CLOUD: 'prod' } }, io)).credentials).toEqual({ type: 'none' });
    expect(io.reads).toEqual([]);
  });

  it('reads clouds.yaml as the inventory is read: a FIFO in the working directory fails at once, naming it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'glance-cache-clouds-'));
    try {
      const fifo = join(cwd, 'clouds.yaml');
      execFileSync('mkfifo', [fifo]);
      // Without a writer, a blocking open of the FIFO would wait for good, and the test time out.
      const error = await loadCredentials({ flags: {}, cwd, home: join(cwd, 'home'), env: { OS_CLOUD: 'prod' } }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`${fifo}: cannot read: is a named pipe (FIFO), not a regular file`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
