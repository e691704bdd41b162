/**
 * `inventory --check`: the one-line verdict a deploy pipeline prints, in plain English counts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

it.each([
  ['one node, one group', 'nodes:\n  - glance01.example.net\ngroups:\n  az1: glance01\n', '1 node, 1 group'],
  ['three nodes, two groups', 'nodes:\n  - glance[01-03].example.net\ngroups:\n  az1: glance01\n  az2: "glance[02-03]"\n', '3 nodes, 2 groups'],
  ['no group', 'nodes:\n  - glance01.example.net\n', '1 node, 0 groups'],
])('%s', async (_case, yaml, counts) => {
  const inventory = join(mkdtempSync(join(tmpdir(), 'glance-cache-check-')), 'inventory.yaml');
  writeFileSync(inventory, yaml, { mode: 0o600 });
  const run = await runCli(['-i', inventory, 'inventory', '--check']);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(`${inventory}: OK: ${counts}\n`);
});
