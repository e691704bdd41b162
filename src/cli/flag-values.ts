/**
 * Option values checked into numbers, each failure a usage error naming the flag.
 */
import { parseDuration } from '../core/units.js';
import { UsageError } from '../errors.js';

/** Milliseconds of a duration flag (30d, 12h) that must be longer than 0. */
export function positiveDuration(text: string, flag: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
  if (ms <= 0) throw new UsageError(`${flag}: '${text}' must be longer than 0`);
  return ms;
}

export function wholeNumber(raw: string, flag: string, min: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${flag}: '${raw}' is not a whole number of ${min} or more`);
  return value;
}
