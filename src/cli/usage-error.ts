/**
 * Commander's own parse errors in the house style of every other usage error: one line naming the command
 * and what is wrong, then where to read more. Pure: the error's code and text in, the line out.
 */

export interface ParseFailure {
  /** Commander's error code: 'commander.unknownOption', 'commander.excessArguments', ... */
  code: string;
  /** Commander's message: "error: unknown option '--bogus'\n(Did you mean --json?)". */
  message: string;
  /** The command's words after the program name ('ls'); empty for the program itself. */
  command: string;
  /** The operands the command received, for naming the extra ones. */
  args: readonly string[];
  /** How many operands the command takes at most; undefined when it takes any number. */
  maxArgs: number | undefined;
}

export function usageLine(program: string, failure: ParseFailure): string {
  const [first = '', ...rest] = failure.message.replace(/^error: /, '').trim().split('\n');
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
  const reason = reasonOf(failure, first);
  const subject = failure.command ? `${failure.command}: ` : '';
  const hint = `see ${[program, failure.command, '--help'].filter(Boolean).join(' ')}`;
  return `${subject}${reason}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ${hint}`;
}

function reasonOf(failure: ParseFailure, text: string): string {
  switch (failure.code) {
    case 'commander.excessArguments': {
      const extra = failure.args.slice(failure.maxArgs ?? 0).map((arg) => `'${arg}'`);
      const takes = failure.maxArgs ? `at most ${failure.maxArgs}` : 'none';
      return `unexpected argument${extra.length === 1 ? '' : 's'} ${extra.join(' ')} (it takes ${takes})`;
    }
    case 'commander.missingArgument':
      return text.replace(/^missing required argument '(.+)'$/, 'missing argument <$1>');
    case 'commander.optionMissingArgument':
      return text.replace(/^option '(.+)' argument missing$/, (_match, flags: string) => `${flagName(flags)} needs a value`);
    case 'commander.unknownOption':
      // `--os-pasword=S3cret`: the value of a mistyped option may be the secret it was meant to carry.
      return text.replace(/^unknown option '(-[^=]*)=[\s\S]*'$/, "unknown option '$1=…' (its value is not shown)");
    case 'commander.invalidArgument':
      return text.replace(/^option '(.+?)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/s, (_match, flags: string, value: string, choices: string) => `${flagName(flags)}: '${value}' is not one of ${choices}`);
    default:
      return text.replace(/\.$/, '');
  }
}

/** "-o/--output" from commander's "-o, --output <format>". */
function flagName(flags: string): string {
  return flags.replace(/\s*[<[].*$/, '').replace(', ', '/');
}
