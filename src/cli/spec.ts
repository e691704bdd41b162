/**
 * The shape of the command tree: plain data, so help, completion scripts and the man page are all
 * generated from one source.
 */
import type { CommandContext } from './context.js';

/** What TAB offers for a value. */
/** columns: the columns of the command on the line (CommandSpec.columns). */
export type Completer = 'nodes' | 'images' | 'labels' | 'files' | 'shells' | 'columns';

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
  /** The columns of its list (column-keys.ts), for -c and --sort-column: checked before any request, completed by TAB. */
  columns?: ColumnSpec<O>;
  /** Loaded only when the command runs, so start-up pays for one command's code. */
  load(): Promise<CommandModule<O>>;
  hidden?: boolean;
}

/** A spec whose runner takes exactly the values of its options: `load: () => import('./run.js')`. */
export function defineCommand<O extends OptionSet>(spec: Omit<CommandSpec<O>, 'load'> & { load: () => Promise<{ run: CommandRunner<O> }> }): CommandSpec<O> {
  return spec;
}

/**
 * Which columns a command shows: `list`, or when one of the `when` options is given, that option's list
 * (the first given, in the order written). A key ending in ':' stands for any suffix (`node:<name>`).
 */
export interface ColumnSpec<O extends OptionSet = OptionSet> {
  list: readonly string[];
  when?: { readonly [K in keyof O]?: readonly string[] };
}

/** The columns a run of this command with these options may name. */
export function commandColumns(spec: Pick<CommandSpec, 'columns'>, options: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  if (!spec.columns) return undefined;
  const chosen = Object.entries(spec.columns.when ?? {}).find(([option]) => options[option] !== undefined && options[option] !== false);
  return chosen?.[1] ?? spec.columns.list;
}

/** Every column any run of the command may name, for completion; patterns ('node:') left out. */
export function completableColumns(spec: Pick<CommandSpec, 'columns'>): string[] {
  if (!spec.columns) return [];
  const all = [spec.columns.list, ...Object.values(spec.columns.when ?? {})].flatMap((keys) => keys ?? []);
  return [...new Set(all)].filter((key) => !key.endsWith(':'));
}

export interface OptionGroup {
  title: string;
  options: readonly OptionSpec[];
  /**
   * A help topic (`glance-cache help <topic>`) that lists this group in full: a command's --help then gives
   * the group one line pointing there instead of its options. --help-all and the man page list them all.
   */
  topic?: string;
  /** A paragraph about the group as a whole, printed by its topic and under its heading in the man page. */
  note?: string;
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
