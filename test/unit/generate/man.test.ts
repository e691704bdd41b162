/**
 * The man page: complete (every command, flag, variable, file, exit code and example of the tree) and
 * valid roff (groff renders it without a warning).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { manPage } from '../../../src/cli/generate/man.js';
import { longFlag, shortFlag } from '../../../src/cli/spec.js';
import { PROGRAM } from '../../../src/cli/tree.js';
import { sampleProgram } from './support.js';

const groff = spawnSync('groff', ['--version'], { encoding: 'utf8' }).status === 0;
if (!groff) {
  if (process.env.CI === 'true') throw new Error('groff is missing: .ci/run installs groff-base');
  console.warn('!!! groff is not installed: the man page rendering tests are SKIPPED (apt-get install groff-base)');
}

function render(page: string): { text: string; warnings: string; status: number | null } {
  const checked = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: page, encoding: 'utf8' });
  const rendered = spawnSync('groff', ['-man', '-Tutf8', '-P-cbou', '-rLL=200n'], { input: page, encoding: 'utf8' });
  return { text: rendered.stdout, warnings: checked.stderr, status: checked.status };
}

const roffFlag = (flag: string) => flag.replace(/-/g, '\\-');

describe('man page of the real tree', () => {
  const page = manPage(PROGRAM, '9.9.9');

  it('documents every command, alias, flag, variable, file, exit code and example', () => {
    for (const command of PROGRAM.commands.filter((candidate) => !candidate.hidden)) {
      expect(page).toContain(`.SS "${command.name}"`);
      for (const alias of command.aliases) expect(page).toContain(`\\fB${alias}\\fR`);
      for (const option of Object.values(command.options)) expect(page).toContain(`\\fB${roffFlag(longFlag(option))}\\fR`);
    }
    for (const option of PROGRAM.globalOptionGroups.flatMap((group) => group.options)) {
      expect(page).toContain(`\\fB${roffFlag(longFlag(option))}\\fR`);
      const short = shortFlag(option);
      if (short) expect(page).toContain(`\\fB${roffFlag(short)}\\fR`);
    }
    for (const variable of PROGRAM.environment) expect(page).toContain(`.B ${variable.name.replace(/-/g, '\\-')}`);
    for (const exit of PROGRAM.exitCodes) expect(page).toContain(`.B ${exit.code}\n`);
    expect(page).toContain('.SS "From cron"');
    expect(page).toContain('.TH GLANCE-CACHE 1 "" "glance-cache 9.9.9" "User Commands"');
  });

  it.skipIf(!groff)('renders without a single groff warning, with every example copyable as typed', () => {
    const { text, warnings, status } = render(page);
    expect(warnings).toBe('');
    expect(status).toBe(0);
    for (const example of [...PROGRAM.examples, ...PROGRAM.commands.flatMap((command) => command.examples)]) {
      if (example.file) {
        // A unit file is shown indented, a line at a time, under its path.
        expect(text).toContain(example.file);
        for (const line of example.command.split('\n').filter((candidate) => candidate.trim())) expect(text).toContain(line);
      } else {
        expect(text).toContain(example.cron ? `${example.cron}  ${example.command}` : example.command);
      }
    }
  });
});

describe('man page generation', () => {
  it.skipIf(!groff)('puts examples with a schedule in the cron section, and escapes what roff would eat', () => {
    const { text, warnings } = render(manPage(sampleProgram(), '1.0.0'));
    expect(warnings).toBe('');
    expect(text).toMatch(/From cron[\s\S]*Nightly eviction:\s+30 2 \* \* \* {2}glance-cache evict -a -y --mode hard old-image/);
    expect(text).toContain("glance-cache evict -a --yes 'my image'");
    expect(text).toContain('--mode mode');
    expect(text).toContain('how [fast] (one of: soft, hard)');
    expect(text).toContain("total time per node; the inventory's default otherwise");
    expect(text).not.toContain('secret');
  });

  it('guards lines that roff would read as requests', () => {
    const page = manPage(sampleProgram({ description: ".so /etc/passwd\n'tr ab" }), '1.0.0');
    expect(page).not.toMatch(/^\.so/m);
    expect(page).toContain('\\&.so /etc/passwd');
  });
});
