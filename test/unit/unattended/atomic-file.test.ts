import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretScrubber } from '../../../src/http/redact.js';
import { reportMode, writeFileAtomic } from '../../../src/unattended/atomic-file.js';
import { summaryDocument, writeSummaryFile } from '../../../src/unattended/summary.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('never lets a reader see a partial file, however the writes and reads interleave', async () => {
    const file = join(dir, 'out.prom');
    // Big enough that a plain write would be seen half-done: several MiB, in many chunks.
    const versions = ['a', 'b', 'c', 'd'].map((letter) => `${letter.repeat(4 * 1024 * 1024)}\n`);
    await writeFileAtomic(file, versions[0]!);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) seen.add(await readFile(file, 'utf8'));
    })();
    for (const version of [...versions, ...versions]) await writeFileAtomic(file, version);
    writing = false;
    await reader;
    expect(seen.size).toBeGreaterThan(0);
    for (const text of seen) expect(versions).toContain(text);
    expect(readdirSync(dir)).toEqual(['out.prom']);
  });

  it('leaves the target and the directory as they were when the write fails', async () => {
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('x');
  });

  it('creates the file private unless given a mode, and with exactly that mode whatever the umask', async () => {
    const file = join(dir, 'm.prom');
    await writeFileAtomic(file, 'x\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const umask = process.umask(0o077);
    try {
      await writeFileAtomic(file, 'y\n', 0o644);
    } finally {
      process.umask(umask);
    }
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});

describe('reportMode', () => {
  it("is 0600 for a new file, and an existing file's own mode (an operator's chmod for node_exporter lasts)", async () => {
    const file = join(dir, 'r.json');
    expect(await reportMode(file)).toBe(0o600);
    writeFileSync(file, '{}');
    chmodSync(file, 0o640);
    expect(await reportMode(file)).toBe(0o640);
  });
});

describe('summary', () => {
  it('puts the run first, the results per node, then the command document', async () => {
    const input = {
      startedAt: Date.UTC(2026, 0, 1, 0, 0, 0),
      finishedAt: Date.UTC(2026, 0, 1, 0, 0, 1, 250),
      exitCode: 3,
      error: null,
      document: { dry_run: false, plan: [{ node: 'g1', image: 'a', action: 'delete' }], outcome: [] },
      tallies: [{ node: 'g1', freedBytes: 10, freedImages: 1, failed: true, interrupted: false }],
    };
    expect(summaryDocument(input)).toEqual({
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:00:01.250Z',
      duration_seconds: 1.25,
      exit_code: 3,
      error: null,
      results: [{ node: 'g1', freed_bytes: 10, freed_images: 1, failed: true, interrupted: false }],
      dry_run: false,
      plan: [{ node: 'g1', image: 'a', action: 'delete' }],
      outcome: [],
    });
    const file = join(dir, 'summary.json');
    await writeSummaryFile(file, input, new SecretScrubber());
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(summaryDocument(input));
  });

  it("escapes the control characters of a node's text, as stdout's JSON does, and reads back the same", async () => {
    const hostile = 'HTTP 500: \u001b]0;pwned\u0007\u009b2J\u202eevil';
    const input = { startedAt: 0, finishedAt: 1000, exitCode: 3, error: hostile, document: { outcome: [{ node: 'g1', error: hostile }] }, tallies: [] };
    const file = join(dir, 'summary.json');
    await writeSummaryFile(file, input, new SecretScrubber());
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(text)).toEqual(summaryDocument(input));
  });

  it('is written 0600 with every secret scrubbed from what the nodes said, and stays valid JSON whatever a secret holds', async () => {
    const token = 'gAAAAA-echoed"token\\';
    const scrubber = new SecretScrubber();
    scrubber.add(token);
    const input = {
      startedAt: 0,
      finishedAt: 1000,
      exitCode: 3,
      error: `g1: HTTP 500: token ${token} rejected`,
      document: { evictions: [{ node: 'g1', name: `golden-${token}` }], [`key-${token}`]: true },
      tallies: [],
    };
    const file = join(dir, 'summary.json');
    await writeSummaryFile(file, input, scrubber);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('gAAAAA-echoed');
    expect(JSON.parse(text)).toMatchObject({ error: 'g1: HTTP 500: token <redacted> rejected', evictions: [{ name: 'golden-<redacted>' }], 'key-<redacted>': true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
