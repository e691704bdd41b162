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

export type CommandRunner = (context: CommandContext, args: string[], options: Record<string, unknown>) => Promise<number>;

export interface CommandSpec {
  name: string;
  aliases: readonly string[];
  summary: string;
  description: string;
  args: readonly ArgumentSpec[];
  options: readonly OptionSpec[];
  examples: readonly Example[];
  /** Loaded only when the command runs, so start-up pays for one command's code. */
  load: () => Promise<CommandRunner>;
  hidden?: boolean;
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
