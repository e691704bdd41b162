/**
 * The README and docs/ are written by hand, so nothing regenerates them when a flag is renamed (-f was the
 * fan-out before it was the format): every `glance-cache …` command line they show, in a code block or a
 * code span, must parse with the real command tree. An unknown flag, a missing value or a command that no
 * longer exists fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';
import { PROGRAM } from '../../../src/cli/tree.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** glance-cache where a shell would run it: a line's start, after a prompt, a path or a VAR=value. */
const INVOCATION = /(?:^|\$ |\/|\b[A-Z_]+=\S* )glance-cache(?=\s|$)(.*)$/;
/** Where the command line ends: a pipe, a redirection, a list, a comment. */
const END = /\s(?:(?:\||&&|;|#)(?:\s|$)|\d?>).*$/;

/** Every command line of a page: code blocks (continuation lines joined) and code spans in prose. */
function commandLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].flatMap((match) => match[1]!.replace(/\\\n\s*/g, ' ').split('\n'));
  const spans = [...markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').matchAll(/`(glance-cache [^`]*)`/g)].map((match) => match[1]!);
  return [...blocks, ...spans].flatMap((line) => {
    const match = INVOCATION.exec(line.trim());
    return match ? [`glance-cache${match[1]!.replace(END, '')}`.replace(/\s+/g, ' ').trim()] : [];
  });
}

/** Words as a shell splits them, quotes removed; `…` (the prose's "and so on") left out. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!).filter((word) => word !== '…');
}

/** The usage error commander's parse would give main() for this line, or null when it parses. */
function parseError(argv: string[]): string | null {
  const program = buildProgram(PROGRAM, '0.0.0-test', { writeOut: () => {}, writeErr: () => {} }, () => {});
  try {
    program.parse(argv, { from: 'user' });
    return null;
  } catch (error) {
    // --help and --version end the parse on purpose.
    if (error instanceof CommanderError && error.exitCode === 0) return null;
    return error instanceof Error ? error.message : String(error);
  }
}

describe('command lines in README.md and docs/', () => {
  const found = pages.flatMap((page) =>
    commandLines(readFileSync(join(root, page), 'utf8'))
      // `glance-cache COMMAND --help`: a placeholder for any command, not a command line.
      .filter((line) => !/\b[A-Z]{2,}\b/.test(words(line)[1] ?? ''))
      .map((line) => [page, line] as const),
  );

  it('finds the README\'s quick tour and the docs\' examples', () => {
    const lines = found.map(([, line]) => line);
    expect(lines).toContain('glance-cache ls -a --sort hits');
    expect(lines).toContain('glance-cache help auth');
    expect(lines.some((line) => line.startsWith('glance-cache prune --all-nodes --orphans'))).toBe(true);
    expect(found.length).toBeGreaterThan(25);
  });

  it.each(found)('%s: %s parses with the command tree', (_page, line) => {
    expect(parseError(words(line).slice(1))).toBeNull();
  });

  it('fails a line with a flag the tree does not have', () => {
    expect(parseError(['ls', '-a', '--fan-out', '4'])).toMatch(/--fan-out/);
    expect(commandLines('run `glance-cache ls -a -f 4` then\n```sh\nOS_CLOUD=x glance-cache nodes \\\n  -a | head\n```\n')).toEqual(['glance-cache nodes -a', 'glance-cache ls -a -f 4']);
  });
});
