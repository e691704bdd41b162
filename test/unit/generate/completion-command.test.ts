import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { completionFileName } from '../../../src/cli/generate/completion.js';
import { SHELLS } from '../../../src/cli/generate/shells.js';
import { runCli } from '../../helpers/run-cli.js';

describe('glance-cache completion SHELL', () => {
  it.each(SHELLS)('prints the same %s script as the committed one', async (shell) => {
    const run = await runCli(['completion', shell]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(readFileSync(new URL(`../../../completions/${completionFileName(shell, 'glance-cache')}`, import.meta.url), 'utf8'));
  });

  it('refuses another shell with a one-line usage error', async () => {
    const run = await runCli(['completion', 'tcsh']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("error: completion: unknown shell 'tcsh'; choose from bash, zsh, fish\n");
  });
});
