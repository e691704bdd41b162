import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, formatSize, parseDuration, parseSize } from '../../../src/core/units.js';

const KiB = 2 ** 10;
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;

describe('parseSize', () => {
  it.each<[string | number, number]>([
    ['0', 0],
    ['1048576', 1048576],
    ['3b', 3],
    ['2k', 2000],
    ['5KB', 5000],
    ['5KiB', 5 * KiB],
    ['50MiB', 50 * MiB],
    ['50mb', 50e6],
    ['10GiB', 10 * GiB],
    ['10GB', 10e9],
    ['10gi', 10 * GiB],
    ['1.5G', 1.5e9],
    ['1TiB', TiB],
    ['2T', 2e12],
    [' 100 GiB ', 100 * GiB],
    [4096, 4096],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each<string | number>(['', 'abc', '-1', '10XB', '10 G i B', '1e3', '1,000', '10GiBs', 'GiB', '.5G', -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %j, saying what a size looks like',
    (text) => {
      expect(() => parseSize(text)).toThrow(/is not a size: .*MiB/);
    },
  );
});

describe('parseDuration', () => {
  it.each<[string | number, number]>([
    ['500ms', 500],
    ['10s', 10_000],
    ['0.5s', 500],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['1h1ms', 3_600_001],
    ['7d', 7 * 86_400_000],
    ['1w', 7 * 86_400_000],
    ['10', 10_000],
    ['1.5', 1500],
    ['0', 0],
    [' 10s ', 10_000],
    [30, 30_000],
    [0.25, 250],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each<string | number>(['', 'abc', '10x', 'ms', 's10', '1h 30m', '-5s', '10S', '1.s', '1h30', '5 s', -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %j',
    (text) => {
      expect(() => parseDuration(text)).toThrow(/is not a duration/);
    },
  );

  it('says which units it accepts', () => {
    expect(() => parseDuration('10x')).toThrow('"10x" is not a duration: use a number with a unit like 500ms, 10s, 2m, 1h30m, 7d');
  });
});

describe('formatSize', () => {
  it.each<[number | null | undefined, string]>([
    [null, ''],
    [undefined, ''],
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [10 * KiB, '10 KiB'],
    [MiB - 1, '1.0 MiB'],
    [MiB, '1.0 MiB'],
    [10 * GiB, '10 GiB'],
    [GiB - 1, '1.0 GiB'],
    [1.5 * TiB, '1.5 TiB'],
    [2048 * 2 ** 50, '2048 PiB'],
  ])('shows %d bytes as %j', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe('formatAge', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each<[number, string]>([
    [-5 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * s + 999, '59s'],
    [m, '1m'],
    [h - 1, '59m'],
    [h, '1h'],
    [48 * h - 1, '47h'],
    [48 * h, '2d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [1100 * d, '3y'],
  ])('shows %d ms as %j', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [500, '500ms'],
    [1500, '1.5s'],
    [10_000, '10s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [5_430_000, '1h30m30s'],
  ])('%i ms reads %s, which parseDuration reads back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
