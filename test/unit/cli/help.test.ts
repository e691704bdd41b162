/**
 * Help through main(): a command's own options first, the global ones in brief with the --os-* flags folded
 * into a pointer to `help auth`, everything under --help-all, two or three examples per command; and
 * commander's own parse errors as one house-style line with exit 2.
 */
import { describe, expect, it } from 'vitest';
import { AUTH_FLAG_SPECS, AUTH_PRECEDENCE } from '../../../src/auth/settings.js';
import { ExitCode } from '../../../src/errors.js';
import { manPage } from '../../../src/cli/generate/man.js';
import { helpRequest } from '../../../src/cli/program.js';
import { longFlag } from '../../../src/cli/spec.js';
import { PROGRAM } from '../../../src/cli/tree.js';
import { usageLine } from '../../../src/cli/usage-error.js';
import { runCli } from '../../helpers/run-cli.js';

const commands = PROGRAM.commands.filter((command) => !command.hidden);
const globalOptions = PROGRAM.globalOptionGroups.flatMap((group) => group.options);
const authLongs = AUTH_FLAG_SPECS.map((spec) => spec.flag.split(' ')[0]!);
/** Lines of a help text outside its Examples section, where a command line may run long. */
const prose = (text: string): string[] => text.split('\n\nExamples:\n')[0]!.split('\n');

describe('a command\'s --help', () => {
  it.each(commands.map((command) => [command.name]))('%s: its own options first, then the global ones in brief, within 80 columns', async (name) => {
    const command = commands.find((candidate) => candidate.name === name)!;
    const run = await runCli([name, '--help']);
    expect(run.code).toBe(0);
    const [own, globals] = run.stdout.split('Global options, before or after the command');
    for (const option of Object.values(command.options).filter((candidate) => !candidate.hidden)) expect(own).toContain(longFlag(option));
    for (const option of globalOptions.filter((candidate) => !candidate.hidden && !authLongs.includes(longFlag(candidate)))) expect(globals).toContain(longFlag(option));
    // The --os-* flags: one line pointing at the topic, none of them described.
    expect(globals).toMatch(/\n {2}Authentication: --os-cloud <name> and \d+ more: see glance-cache help auth\n/);
    expect(run.stdout).not.toContain('--os-username');
    expect(Math.max(...prose(run.stdout).map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it.each(commands.map((command) => [command.name]))('%s: shows two or three examples', async (name) => {
    const run = await runCli([name, '--help']);
    const examples = run.stdout.split('\nExamples:\n')[1] ?? '';
    const count = examples.split('\n').filter((line) => line.startsWith('  $ ')).length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(3);
  });

  it('ls --help fits a screen: under 60 lines (68 before, with every global and --os-* option described)', async () => {
    const run = await runCli(['ls', '--help']);
    expect(run.stdout.trimEnd().split('\n').length).toBeLessThan(60);
  });

  it('the program\'s --help lists the commands and the help topic, and the global options in brief only', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\n {2}help \[topic\] +show help for a command, or for auth/);
    for (const command of commands) expect(run.stdout).toContain(`\n  ${command.name}`);
    expect(run.stdout).not.toMatch(/^ {2}-i, --inventory/m);
    expect(run.stdout).toContain('-i/--inventory <path>');
  });
});

describe('--help-all and help auth', () => {
  it('--help-all describes every option, the --os-* ones included', async () => {
    for (const argv of [['--help-all'], ['ls', '--help-all'], ['--help-all', 'prune']]) {
      const run = await runCli(argv);
      expect(run.code).toBe(0);
      for (const option of globalOptions.filter((candidate) => !candidate.hidden)) expect(run.stdout).toContain(option.flags);
    }
  });

  it('words after -- are left alone', () => {
    expect(helpRequest(['ls', '--help-all'])).toEqual({ argv: ['ls', '--help'], all: true });
    expect(helpRequest(['where', '--', '--help-all'])).toEqual({ argv: ['where', '--', '--help-all'], all: false });
  });

  it('help auth prints every auth option with its variable, and which value wins', async () => {
    const run = await runCli(['help', 'auth']);
    expect(run.code).toBe(0);
    for (const spec of AUTH_FLAG_SPECS) {
      expect(run.stdout).toContain(spec.flag);
      if (spec.env) expect(run.stdout.replace(/\s+/g, ' ')).toContain(`[$${spec.env}]`);
    }
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(AUTH_PRECEDENCE);
    expect(Math.max(...run.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('help COMMAND is the command\'s --help; an unknown topic is a usage error', async () => {
    expect((await runCli(['help', 'ls'])).stdout).toBe((await runCli(['ls', '--help'])).stdout);
    const unknown = await runCli(['help', 'authentication']);
    expect(unknown.code).toBe(ExitCode.usage);
    expect(unknown.stderr).toBe(`error: help: no command or topic 'authentication'; one of ${commands.map((command) => command.name).join(', ')}, auth\n`);
  });

  it('the man page still lists every option, --help-all and the help topic', () => {
    const page = manPage(PROGRAM, '9.9.9');
    for (const option of globalOptions) expect(page).toContain(`\\fB${longFlag(option).replace(/-/g, '\\-')}\\fR`);
    expect(page).toContain('\\fB\\-\\-help\\-all\\fR');
    expect(page).toContain('\\fBglance-cache help auth\\fR');
  });
});

describe('commander\'s own errors in the house style', () => {
  it.each([
    [['ls', 'extra'], "error: ls: unexpected argument 'extra' (it takes none); see glance-cache ls --help"],
    [['diff', '--sate', 'all'], "error: diff: unknown option '--sate' (did you mean --state?); see glance-cache diff --help"],
    [['purge'], 'error: purge: missing argument <image>; see glance-cache purge --help'],
    [['ls', '--state', 'gone'], "error: ls: --state: 'gone' is not one of all, cached, queued; see glance-cache ls --help"],
    [['ls', '--timeout'], 'error: ls: --timeout needs a value; see glance-cache ls --help'],
    [['lss'], "error: unknown command 'lss' (did you mean ls?); see glance-cache --help"],
    [['--bogus'], "error: unknown option '--bogus'; see glance-cache --help"],
    [['ls', '--os-pasword=S3cretPass1'], "error: ls: unknown option '--os-pasword=…' (its value is not shown); see glance-cache ls --help"],
    [['completion', 'bash', 'zsh'], "error: completion: unexpected argument 'zsh' (it takes at most 1); see glance-cache completion --help"],
  ])('%j: one line, exit 2', async (argv, line) => {
    const run = await runCli(argv);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toBe(`${line}\n`);
    expect(run.stdout).toBe('');
  });

  it('names several extra arguments, and keeps unknown error codes\' text', () => {
    const failure = { code: 'commander.excessArguments', message: "error: too many arguments for 'nodes'. Expected 0 arguments but got 2.", command: 'nodes', args: ['a', 'b'], maxArgs: 0 };
    expect(usageLine('glance-cache', failure)).toBe("nodes: unexpected arguments 'a' 'b' (it takes none); see glance-cache nodes --help");
    expect(usageLine('glance-cache', { ...failure, code: 'commander.conflictingOption', message: 'error: option --a cannot be used with --b.' })).toBe('nodes: option --a cannot be used with --b; see glance-cache nodes --help');
  });
});
