/**
 * Sizes and durations as operators write them in inventories and flags ("100GiB", "10s", "80%").
 * Pure parsing: callers attach the file/flag name to the error.
 */
const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  ki: 2 ** 10, kib: 2 ** 10, mi: 2 ** 20, mib: 2 ** 20, gi: 2 ** 30, gib: 2 ** 30, ti: 2 ** 40, tib: 2 ** 40,
};

/** Bytes from "1048576", "50MiB", "1.5G"; throws a plain Error saying what is accepted. */
export function parseSize(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isSafeInteger(text) && text >= 0) return text;
    throw new Error(`"${text}" is not a size: use a whole number of bytes or a unit like 50MiB, 10GB`);
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`"${text}" is not a size: use bytes or a unit like 50MiB, 10GB, 1TiB`);
  return Math.round(Number(match[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds from "500ms", "10s", "2m", "1h30m", "7d"; a bare number means seconds, as in glance.conf. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0) return Math.round(text * 1000);
    throw new Error(`"${text}" is not a duration`);
  }
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) {
    throw new Error(`"${text}" is not a duration: use a number with a unit like 500ms, 10s, 2m, 1h30m, 7d`);
  }
  return Math.round(parts.reduce((total, part) => total + Number(part[1]) * DURATION_UNITS[part[2]!]!, 0));
}

const BINARY_STEPS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** "1.5 GiB": sizes as Glance operators read them (binary units, as image_cache_max_size is counted). */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '';
  let value = bytes;
  let step = 0;
  // 1023.5 rather than 1024: a value that would round to "1024 KiB" reads "1.0 MiB" instead.
  while (Math.abs(value) >= 1023.5 && step < BINARY_STEPS.length - 1) {
    value /= 1024;
    step++;
  }
  return step === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${BINARY_STEPS[step]}`;
}

/** "3m", "2h", "5d" ago, as kubectl's AGE column. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  return days < 365 * 2 ? `${days}d` : `${Math.floor(days / 365)}y`;
}

/** "500ms", "10s", "1m30s": a duration as parseDuration reads it back, for messages naming a timeout. */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1000 || whole % 1000 !== 0) return whole < 1000 ? `${whole}ms` : `${whole / 1000}s`;
  const parts: string[] = [];
  let rest = whole / 1000;
  for (const [unit, seconds] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= seconds) {
      parts.push(`${Math.floor(rest / seconds)}${unit}`);
      rest %= seconds;
    }
  }
  return parts.join('');
}

/** Longest timeout accepted: a day is already absurd for one node, and timers overflow past ~24.8 days. */
export const MAX_TIMEOUT_MS = 86_400_000;

/** A duration usable as a timeout: above zero and at most a day. */
export function parseTimeout(text: string | number): number {
  const ms = parseDuration(text);
  if (ms <= 0) throw new Error(`"${text}" must be longer than 0`);
  if (ms > MAX_TIMEOUT_MS) throw new Error(`"${text}" is longer than the 1d maximum`);
  return ms;
}
