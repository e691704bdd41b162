/**
 * The shape of the command tree: plain data, so help, completion scripts and the man page are all
 * generated from one source.
 */
import type { CommandContext } from './context.js';

/** What TAB offers for a value. */
export type Completer = 'nodes' | 'images' | 'files' | 'shells';

export interface OptionSpec {
  /** Commander syntax: '-n, --nodes <set>'. */
  flags: string;
  description: string;
  choices?: readonly string[];
  complete?: Completer;
  /** May be given several times; values collect into a list. */
  repeatable?: boolean;
  env?: string;
  /** Shown in help and man; the real default is applied where the value is resolved. */
  defaultText?: string;
  hidden?: boolean;
}

export interface ArgumentSpec {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  complete?: Completer;
}

export interface Example {
  command: string;
  description: string;
  /** A crontab schedule ("0 * * * *"): the man page lists this example as a crontab line. */
  cron?: string;
  /**
   * A file to install rather than a command to type (a systemd unit): `command` holds its whole text,
   * and the man page shows it under this path. --help leaves it out.
   */
  file?: string;
}

/**
 * A command's options, keyed by the name its runner reads them under: commander's name for the long flag
 * ('--max-size' is maxSize, '--no-headers' is headers; program.ts refuses a key that differs). Declared
 * `as const`, so the values' types follow from the table (OptionValues) and a misspelt name does not compile.
 */
export type OptionSet = Readonly<Record<string, OptionSpec>>;

/** What the command line gives for one option: a list when repeatable, one of the choices, the text, or true for a bare flag. */
export type OptionValue<S extends OptionSpec> = string extends S['flags']
  ? string | string[] | true
  : S['repeatable'] extends true
    ? string[]
    : S['choices'] extends readonly (infer C extends string)[]
      ? C
      : S['flags'] extends `${string}<${string}>${string}` | `${string}[${string}]${string}`
        ? string
        : true;

/** The options a runner receives, absent when not given (the defaults are applied where values are read). */
export type OptionValues<O extends OptionSet> = { readonly [K in keyof O]?: OptionValue<O[K]> };

export type CommandRunner<O extends OptionSet> = (context: CommandContext, args: string[], options: OptionValues<O>) => Promise<number>;

/**
 * What a spec loads: a command's run.ts. A method, so that the tree can hold commands of different options
 * in one list (method parameters are compared both ways); defineCommand checks each runner strictly.
 */
export interface CommandModule<O extends OptionSet> {
  run(context: CommandContext, args: string[], options: OptionValues<O>): Promise<number>;
}

export interface CommandSpec<O extends OptionSet = OptionSet> {
  name: string;
  aliases: readonly string[];
  summary: string;
  description: string;
  args: readonly ArgumentSpec[];
  options: O;
  examples: readonly Example[];
  /** Loaded only when the command runs, so start-up pays for one command's code. */
  load(): Promise<CommandModule<O>>;
  hidden?: boolean;
}

/** A spec whose runner takes exactly the values of its options: `load: () => import('./run.js')`. */
export function defineCommand<O extends OptionSet>(spec: Omit<CommandSpec<O>, 'load'> & { load: () => Promise<{ run: CommandRunner<O> }> }): CommandSpec<O> {
  return spec;
}

export interface OptionGroup {
  title: string;
  options: readonly OptionSpec[];
}

export interface ProgramSpec {
  name: string;
  summary: string;
  description: string;
  globalOptionGroups: readonly OptionGroup[];
  commands: readonly CommandSpec[];
  environment: readonly { name: string; description: string }[];
  files: readonly { path: string; description: string }[];
  exitCodes: readonly { code: number; description: string }[];
  examples: readonly Example[];
}

/** "--all-nodes" from "-a, --all-nodes"; "--no-headers" stays as is. */
export function longFlag(option: OptionSpec): string {
  const match = /--[a-z0-9-]+/.exec(option.flags);
  if (!match) throw new Error(`option without a long flag: ${option.flags}`);
  return match[0];
}

export function shortFlag(option: OptionSpec): string | undefined {
  return /(?:^|[\s,])(-[a-zA-Z])(?:[\s,]|$)/.exec(option.flags)?.[1];
}

export function takesValue(option: OptionSpec): boolean {
  return /[<[]/.test(option.flags);
}
