/**
 * The committed completion scripts in real bash, zsh and fish, calling the built bin for dynamic values:
 * node names and @groups from an inventory fixture, image names (some built to attack the shell) from
 * the cache `ls` writes. A shell that is missing is skipped loudly, except under CI where it must be there.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { cacheDir, cacheFile, writeCache } from '../../src/complete/cache-files.js';

const root = new URL('../../', import.meta.url).pathname;
const completions = join(root, 'completions');
const fixture = join(root, 'test/fixtures/inventory/fleet.yaml');
const broken = join(root, 'test/fixtures/inventory/broken-duplicate.yaml');

function available(shell: string): boolean {
  const found = spawnSync(shell, ['-c', 'exit 0']).status === 0;
  if (!found) {
    if (process.env.CI === 'true') throw new Error(`${shell} is missing: .ci/run installs it`);
    console.warn(`!!! ${shell} is not installed: its completion tests are SKIPPED (apt-get install -y ${shell})`);
  }
  return found;
}
const hasBash = available('bash');
const hasZsh = available('zsh');
const hasFish = available('fish');

/** Names an attacker could give an image: completing them must insert text and run nothing. */
const hostile = (dir: string) => [
  `$(touch ${dir}/pwned-dollar)`,
  `x; touch ${dir}/pwned-semicolon`,
  `\`touch ${dir}/pwned-backtick\``,
  `it's "quoted" & <redirected> | piped`,
];
const CIRROS = 'cirros 0.6.2 (test)';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  buildDist();
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-shells-'));
  // The command the scripts call, on PATH, as an installed glance-cache would be.
  writeFileSync(join(dir, 'glance-cache'), `#!/bin/sh\nexec '${process.execPath}' '${join(root, 'bin/glance-cache.js')}' "$@"\n`);
  chmodSync(join(dir, 'glance-cache'), 0o755);
  env = { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), TERM: 'dumb', LANG: 'C.UTF-8' };
  const now = Date.now();
  const names = [CIRROS, ...hostile(dir)];
  await writeCache(cacheFile(cacheDir(env, dir), 'images', fixture), {
    inventory: fixture,
    images: names.map((name, index) => ({ id: `0000000${index}-1111-4111-8111-111111111111`, name, seen_ms: now })),
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const pwned = () => readdirSync(dir).filter((name) => name.startsWith('pwned'));

function run(shell: string, args: string[], input?: string) {
  const result = spawnSync(shell, args, { cwd: root, env, input, encoding: 'utf8', timeout: 30_000 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe.skipIf(!hasBash)('bash', () => {
  /** Runs the completion function as bash does on TAB and prints COMPREPLY, one entry a line. */
  const complete = (source: string, words: string[]) =>
    run('bash', ['--norc', '--noprofile', '-c', `${source}\nCOMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _glance_cache; if (( \${#COMPREPLY[@]} )); then printf '%s\\n' "\${COMPREPLY[@]}"; fi`, 'bash', ...words]);
  const committed = `source ${completions}/glance-cache.bash`;

  it('registers a function for glance-cache, from the file or from `glance-cache completion bash`', () => {
    expect(run('bash', ['--norc', '-c', `${committed}; complete -p glance-cache`]).stdout).toBe('complete -F _glance_cache glance-cache\n');
    expect(run('bash', ['--norc', '-c', 'source <(glance-cache completion bash); complete -p glance-cache']).stdout).toBe('complete -F _glance_cache glance-cache\n');
  });

  it('completes commands, flags, fixed choices and inventory files', () => {
    expect(complete(committed, ['glance-cache', 'w']).stdout).toBe('where\n');
    expect(complete(committed, ['glance-cache', '-o', '']).stdout).toBe('table\njson\nyaml\ncsv\ntsv\nvalue\n');
    expect(complete(committed, ['glance-cache', 'ls', '--sort', 'la']).stdout).toBe('last-accessed\n');
    expect(complete(committed, ['glance-cache', 'ls', '--per']).stdout).toBe('--per-node\n');
    expect(complete(committed, ['glance-cache', 'completion', '']).stdout).toBe('bash\nzsh\nfish\n');
    expect(complete(committed, ['glance-cache', '-f', 'y']).stdout).toBe('yaml\n');
    expect(complete(committed, ['glance-cache', '-i', 'test/fixtures/inventory/fle']).stdout).toBe('test/fixtures/inventory/fleet.json\ntest/fixtures/inventory/fleet.yaml\n');
  });

  it('completes -c and --sort-column with the columns of the command on the line, every command\'s before one', () => {
    expect(complete(committed, ['glance-cache', 'ls', '-c', '']).stdout).toBe('id\nname\nsize\ncached_on\nqueued_on\nhits\nlast_accessed\nstatus\n');
    expect(complete(committed, ['glance-cache', 'prune', '--dry-run', '--column', '=', 'r']).stdout).toBe('result\nreasons\n');
    expect(complete(committed, ['glance-cache', '--sort-column', 'cached_']).stdout).toBe('cached_on\ncached_images\ncached_bytes\n');
    expect(complete(committed, ['glance-cache', 'nodes', '--sort-column', 'cached_']).stdout).toBe('cached_images\ncached_bytes\n');
    expect(complete(committed, ['glance-cache', '-c', 'missing']).stdout).toBe('missing_on\n');
  });

  it('completes @groups after a few letters, though bash splits words at "@" (COMP_WORDBREAKS)', () => {
    // COMP_WORDS as bash itself splits these lines on TAB (seen with declare -p in an interactive bash).
    const completeLine = (line: string, words: string[]) =>
      run('bash', ['--norc', '--noprofile', '-c', `${committed}\nCOMP_LINE=$1; COMP_POINT=\${#1}; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _glance_cache; if (( \${#COMPREPLY[@]} )); then printf '%s\\n' "\${COMPREPLY[@]}"; fi`, 'bash', line, ...words]).stdout;
    expect(completeLine(`glance-cache -i ${fixture} ls -n @a`, ['glance-cache', '-i', fixture, 'ls', '-n', '@', 'a'])).toBe('@az1\n@az2\n');
    expect(completeLine(`glance-cache -i ${fixture} ls -n @`, ['glance-cache', '-i', fixture, 'ls', '-n', '@'])).toBe('@az1\n@az2\n@dc2\n@tls\n');
    expect(completeLine(`glance-cache -i ${fixture} ls --nodes=@d`, ['glance-cache', '-i', fixture, 'ls', '--nodes', '=@', 'd'])).toBe('@dc2\n');
    // A group earlier on the line is one word: the command after it is still found.
    expect(completeLine(`glance-cache -i ${fixture} -n @az1 wh`, ['glance-cache', '-i', fixture, '-n', '@', 'az1', 'wh'])).toBe('where\n');
  });

  it('completes node names and @groups of the inventory named on the line, in every flag spelling', () => {
    expect(complete(committed, ['glance-cache', '-i', fixture, '-n', '']).stdout).toBe(
      'glance01\nglance02\nglance03\nglance04\nglance05\nglance06\nglance07\nglance08\n@az1\n@az2\n@dc2\n@tls\n',
    );
    expect(complete(committed, ['glance-cache', '--inventory', '=', fixture, 'ls', '-x', '@a']).stdout).toBe('@az1\n@az2\n');
    expect(complete(committed, ['glance-cache', '-i', fixture, '--nodes', '=', 'glance01,glance0']).stdout).toBe(
      ['02', '03', '04', '05', '06', '07', '08'].map((n) => `glance01,glance${n}\n`).join(''),
    );
  });

  it('offers nothing, and prints nothing, when the inventory is broken or missing', () => {
    for (const inventory of [broken, join(dir, 'missing.yaml')]) {
      const result = complete(committed, ['glance-cache', '-i', inventory, '-n', '']);
      expect(result).toEqual({ stdout: '', stderr: '', status: 0 });
    }
  });

  it('inserts image names with spaces and shell metacharacters as text: nothing runs, now or on Enter', () => {
    const replies = complete(committed, ['glance-cache', '-i', fixture, 'where', '']).stdout.split('\n').filter(Boolean);
    const names = [CIRROS, ...hostile(dir)];
    expect(replies.slice(0, names.length).length).toBe(names.length);
    // What the shell would pass to glance-cache once the reply is on the line and the user presses Enter.
    const typed = run('bash', ['--norc', '-c', `for reply in "$@"; do eval "set -- $reply"; printf '%s\\0' "$#:$1"; done`, 'bash', ...replies]).stdout;
    expect(typed.split('\0').filter(Boolean).slice(0, names.length)).toEqual(names.map((name) => `1:${name}`));
    expect(complete(committed, ['glance-cache', '-i', fixture, 'where', 'cirros\\ 0']).stdout).toBe('cirros\\ 0.6.2\\ \\(test\\)\n');
    expect(complete(committed, ['glance-cache', '-i', fixture, 'where', "'$(t"]).stdout.split('\n')[0]).toBe(replies[1]);
    expect(pwned()).toEqual([]);
  });
});

describe.skipIf(!hasZsh)('zsh', () => {
  // Types the line into an interactive zsh on a pseudo-terminal and records what TAB offers.
  const complete = (line: string) => {
    const result = run('zsh', ['-f', join(root, 'test/e2e/zsh-capture.zsh'), completions, line]);
    return result.stdout.split('\n').filter(Boolean).map((hit) => hit.split('<<<DESC>>>') as [string, string]);
  };

  it('passes zsh -n', () => {
    expect(run('zsh', ['-n', join(completions, '_glance-cache')])).toEqual({ stdout: '', stderr: '', status: 0 });
  });

  it('completes node names and @groups with their descriptions', () => {
    const hits = complete(`glance-cache -i ${fixture} -n `);
    expect(hits.map(([match]) => match)).toEqual(['glance01', 'glance02', 'glance03', 'glance04', 'glance05', 'glance06', 'glance07', 'glance08', '@az1', '@az2', '@dc2', '@tls']);
    expect(hits[0]![1]).toMatch(/^glance01 +-- http:\/\/10\.0\.0\.11:9292$/);
    expect(hits[8]![1]).toMatch(/^@az1 +-- group of 3 nodes$/);
  });

  it('completes commands and flags with descriptions, and fixed choices', () => {
    expect(complete('glance-cache wh')).toEqual([['where', expect.stringMatching(/^where +-- show on which nodes/)]]);
    expect(complete('glance-cache ls --pe').map(([match]) => match)).toEqual(['--per-node']);
    expect(complete('glance-cache -o ').map(([match]) => match)).toEqual(['table', 'json', 'yaml', 'csv', 'tsv', 'value']);
  });

  it('completes -c with the columns of the command on the line', () => {
    expect(complete('glance-cache ls -c ').map(([match]) => match).sort()).toEqual(['cached_on', 'hits', 'id', 'last_accessed', 'name', 'queued_on', 'size', 'status']);
    expect(complete('glance-cache nodes --sort-column cached_').map(([match]) => match).sort()).toEqual(['cached_bytes', 'cached_images']);
  });

  it('quotes image names with metacharacters and runs none of them', () => {
    const hits = complete(`glance-cache -i ${fixture} where `).map(([match]) => match);
    expect(hits).toContain('cirros\\ 0.6.2\\ \\(test\\)');
    expect(hits).toContain(`\\$\\(touch\\ ${dir}/pwned-dollar\\)`);
    expect(pwned()).toEqual([]);
  });

  it('offers nothing for a broken inventory', () => {
    expect(complete(`glance-cache -i ${broken} -n `)).toEqual([]);
  });
});

describe.skipIf(!hasFish)('fish', () => {
  const complete = (line: string) => {
    const script = `source ${join(completions, 'glance-cache.fish')}; complete -C ${JSON.stringify(line).replace(/\$/g, '\\$')}`;
    return run('fish', ['--no-config', '-c', script]);
  };

  it('passes fish -n', () => {
    expect(run('fish', ['-n', join(completions, 'glance-cache.fish')])).toEqual({ stdout: '', stderr: '', status: 0 });
  });

  it('completes node names and @groups with their descriptions', () => {
    const result = complete(`glance-cache -i ${fixture} -n `);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toContain('glance01\thttp://10.0.0.11:9292');
    expect(lines).toContain('@az1\tgroup of 3 nodes');
    expect(lines).toHaveLength(12);
    expect(complete(`glance-cache -i ${fixture} -n glance01,glance0`).stdout.split('\n').filter(Boolean)).toHaveLength(7);
  });

  it('completes commands, command flags after an option value, and fixed choices', () => {
    expect(complete('glance-cache wh').stdout).toMatch(/^where\tshow on which nodes/);
    expect(complete(`glance-cache -i ${fixture} ls --pe`).stdout).toMatch(/^--per-node\tadd a column per node[^\n]*\n$/);
    expect(complete('glance-cache completion ').stdout.split('\n').filter(Boolean).sort()).toEqual(['bash', 'fish', 'zsh']);
  });

  it('completes -c with the columns of the command on the line, every command\'s before one', () => {
    const words = (line: string) => complete(line).stdout.split('\n').filter(Boolean).map((entry) => entry.split('\t')[0]).sort();
    expect(words('glance-cache ls -c ')).toEqual(['cached_on', 'hits', 'id', 'last_accessed', 'name', 'queued_on', 'size', 'status']);
    expect(words('glance-cache prune --column r')).toEqual(['reasons', 'result']);
    expect(words('glance-cache -c missing')).toEqual(['missing_on']);
  });

  it('offers image names with metacharacters as text and runs none of them', () => {
    const lines = complete(`glance-cache -i ${fixture} where `).stdout.split('\n');
    expect(lines).toContain(`$(touch ${dir}/pwned-dollar)\t00000001-1111-4111-8111-111111111111`);
    expect(pwned()).toEqual([]);
  });

  it('offers nothing for a broken inventory', () => {
    expect(complete(`glance-cache -i ${broken} -n `)).toEqual({ stdout: '', stderr: '', status: 0 });
  });
});
