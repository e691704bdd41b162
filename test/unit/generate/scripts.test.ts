/**
 * What each generated script wires where, on a small tree: a command added to the tree shows up in every
 * script without touching a generator. Real shells run the real scripts in test/e2e/shells.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { completionScript } from '../../../src/cli/generate/completion.js';
import { completionModel } from '../../../src/cli/generate/model.js';
import { SHELLS } from '../../../src/cli/generate/shells.js';
import { PROGRAM } from '../../../src/cli/tree.js';
import { sampleProgram } from './support.js';

describe('completionModel', () => {
  it('lists visible commands, aliases and options, with what TAB offers for each value', () => {
    const model = completionModel(sampleProgram());
    expect(model.commands.map((command) => command.name)).toEqual(['evict', 'completion', 'help']);
    expect(model.globals.map((option) => option.long)).toEqual(['--inventory', '--nodes', '--output', '--timeout', '--no-headers', '--help', '--help-all']);
    expect(model.programOnly.map((option) => option.long)).toEqual(['--version']);
    const [inventory, nodes, output, timeout, headers] = model.globals;
    expect(inventory!.value).toEqual({ name: 'path', completion: { kind: 'files' } });
    expect(nodes!.value).toEqual({ name: 'set', completion: { kind: 'dynamic', source: 'nodes' } });
    expect(output!.value).toEqual({ name: 'format', completion: { kind: 'choices', words: ['table', 'json'] } });
    expect(timeout!.value).toEqual({ name: 'duration', completion: { kind: 'free' } });
    expect(headers!.value).toBeUndefined();
    expect(model.commands[0]!.args[0]!.completion).toEqual({ kind: 'dynamic', source: 'images' });
    expect(model.commands[1]!.args[0]!.completion).toEqual({ kind: 'choices', words: SHELLS });
    // help takes a command or a topic; the sample tree has no topic.
    expect(model.commands[2]!.args[0]!.completion).toEqual({ kind: 'choices', words: ['evict', 'completion'] });
  });

  it('refuses a word that would need quoting inside a script', () => {
    const program = sampleProgram();
    const evil = { ...program, commands: [{ ...program.commands[0]!, options: { mode: { flags: '--mode <m>', description: 'x', choices: ['$(reboot)'] } } }] };
    expect(() => completionModel(evil)).toThrow(/cannot be written into a completion script/);
  });

  it('accepts every command and choice of the real tree', () => {
    expect(() => completionModel(PROGRAM)).not.toThrow();
  });
});

describe('bash script', () => {
  const script = completionScript('bash', sampleProgram());

  it('registers the function, knows commands and aliases, and routes each value to its source', () => {
    expect(script).toContain('complete -F _glance_cache glance-cache');
    expect(script).toContain('_glance_cache_offer "$cur" evict completion');
    expect(script).toMatch(/ {8}evict\|ev\)\n {12}case \$2 in\n {16}--mode\) _glance_cache_offer "\$3" soft hard; return 0 ;;\n {16}--against\) _glance_cache_dynamic nodes "\$3"; return 0 ;;/);
    expect(script).toContain('-n|--nodes) _glance_cache_dynamic nodes "$3"; return 0 ;;');
    expect(script).toContain('-i|--inventory) _glance_cache_files "$3"; return 0 ;;');
    expect(script).toContain('--timeout) return 0 ;;');
    expect(script).toContain('*) _glance_cache_dynamic images "$3" ;;');
    expect(script).toContain('0) _glance_cache_offer "$3" bash zsh fish ;;');
    expect(script).not.toContain('secret');
  });

  it('never hands a word list to compgen -W, which would expand $(…) in it', () => {
    expect(script).not.toMatch(/compgen\s+-W/);
  });
});

describe('zsh script', () => {
  const script = completionScript('zsh', sampleProgram());

  it('is a #compdef function with a description for every flag and command', () => {
    expect(script.startsWith('#compdef glance-cache\n')).toBe(true);
    expect(script).toContain("'*-n+[nodes\\: names, ranges (glance\\[01-03\\]), @group]:set:{_glance_cache_dynamic nodes}'");
    expect(script).toContain("'(-o --output)--output=[output format]:format:(table json)'");
    expect(script).toContain("'(--timeout)--timeout=[total time per node; the inventory'\\''s default otherwise]:duration: '");
    expect(script).toContain("'evict:drop images: for the tests'");
    expect(script).toContain("'ev:alias of evict'");
    expect(script).toContain("'*:image:{_glance_cache_dynamic images}'");
    expect(script).toContain("'1:shell:(bash zsh fish)'");
    expect(script).toContain('compdef _glance-cache glance-cache');
  });
});

describe('fish script', () => {
  const script = completionScript('fish', sampleProgram());

  it('has one complete line per flag and command, with descriptions and value sources', () => {
    expect(script).toContain("complete -c glance-cache -s n -l nodes -r -f -a '(__glance_cache_dynamic nodes)' -d 'nodes: names, ranges (glance[01-03]), @group'");
    expect(script).toContain("complete -c glance-cache -s i -l inventory -r -F -d 'inventory file'");
    expect(script).toContain("complete -c glance-cache -l timeout -r -f -d 'total time per node; the inventory\\'s default otherwise'");
    expect(script).toContain("complete -c glance-cache -n '__glance_cache_using \\'\\'' -a evict -d 'drop images: for the tests'");
    expect(script).toContain("complete -c glance-cache -n '__glance_cache_using evict' -l mode -r -f -a 'soft hard' -d 'how [fast]'");
    expect(script).toContain("complete -c glance-cache -n '__glance_cache_using evict' -f -a '(__glance_cache_dynamic images)'");
    expect(script).toMatch(/case evict ev\n\s+echo evict/);
  });
});
