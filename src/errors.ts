/**
 * The exit codes, and what a thrown error means (docs/architecture.md, "Contract"). Commands throw these
 * for whole-run failures; per-node failures are data (a failed NodeOutcome from fleet/fanout.ts), never
 * exceptions, and src/core/outcome.ts turns results into codes.
 */
export const ExitCode = {
  ok: 0,
  differences: 1,
  usage: 2,
  partial: 3,
  failed: 4,
  locked: 5,
  /** The output could not be written (disk full, closed file): the run's result was lost (EX_IOERR). */
  outputFailed: 74,
  /** A bug: distinct from every documented outcome (EX_SOFTWARE). */
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class GlanceCacheError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The code a run ends with when `error` was thrown: its own for ours, 130 when the run was interrupted, else 70 (a bug). */
export function exitCodeOf(error: unknown, interrupted: boolean): ExitCodeValue {
  if (error instanceof GlanceCacheError) return error.exitCode;
  return interrupted ? ExitCode.interrupted : ExitCode.internal;
}

/** Bad flags or arguments: nothing was sent. */
export class UsageError extends GlanceCacheError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** Where in a file a problem is; line is 1-based. */
export interface SourceLocation {
  file: string;
  line?: number | undefined;
  field?: string | undefined;
}

export function formatLocation(at: SourceLocation): string {
  const line = at.line ? `:${at.line}` : '';
  const field = at.field ? ` ${at.field}:` : '';
  return `${at.file}${line}:${field}`;
}

/** A broken inventory, clouds.yaml or other local configuration: nothing was sent. */
export class ConfigError extends GlanceCacheError {
  constructor(
    readonly at: SourceLocation,
    readonly reason: string,
  ) {
    super(`${formatLocation(at)} ${reason}`, ExitCode.usage);
  }
}

/** Keystone refused us, or every node refused our token: no node can be trusted to answer. */
export class AuthError extends GlanceCacheError {
  constructor(message: string) {
    super(message, ExitCode.failed);
  }
}

export class InterruptedError extends GlanceCacheError {
  constructor(message = 'interrupted') {
    super(message, ExitCode.interrupted);
  }
}

/** Another run holds the lock (cron overlap): a distinct code so monitoring can tell it from failure. */
export class LockedError extends GlanceCacheError {
  constructor(message: string) {
    super(message, ExitCode.locked);
  }
}
