import { describe, expect, it } from 'vitest';
import { displayWidth, ellipsize, headOf, wrapText } from '../../../src/output/width.js';

describe('displayWidth', () => {
  it('counts cells as a terminal does: wide characters two, combining marks none', () => {
    expect(displayWidth('cirros')).toBe(6);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🚀x')).toBe(3);
    expect(displayWidth('')).toBe(0);
  });
});

describe('headOf and ellipsize', () => {
  it('cut to the cells given, never through a wide character', () => {
    expect(headOf('日本語', 3)).toBe('日');
    expect(headOf('abc', 5)).toBe('abc');
    expect(ellipsize('cirros-0.6.2-x86_64', 10)).toBe('cirros-0.…');
    expect(ellipsize('short', 10)).toBe('short');
    expect(ellipsize('日本語の名前', 6)).toBe('日本…');
    expect(ellipsize('abc', 0)).toBe('');
  });
});

describe('wrapText', () => {
  it('breaks at spaces within the width; a longer word keeps a line of its own', () => {
    expect(wrapText('0 nodes answered, 40 failed: glance[01-40]', 21)).toBe('0 nodes answered, 40\nfailed: glance[01-40]');
    expect(wrapText('short', 20)).toBe('short');
    expect(wrapText('a glance[01-03,05,07-40]-and-more b', 10)).toBe('a\nglance[01-03,05,07-40]-and-more\nb');
  });
});

describe('displayWidth and cli-table3, which lays the table out', () => {
  it('never counts fewer cells than cli-table3 does, so a fitted table is never drawn wider than planned', async () => {
    const { strlen } = (await import('cli-table3/src/utils.js' as string)) as { strlen: (text: string) => number };
    // Zero-width format characters, variation selectors, marks of other scripts, regional indicators, emoji, wide and halfwidth letters.
    const pool = ['a', '-', '镜', '👨', '\u200d', '\u200b', '\u0301', '\u0483', '\ufe0f', '\u{e0100}', '🚀', '🇫', '🇷', '❤', '☝', '…', '\u20e3', 'ア', 'ｱ', '぀'];
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 20_000; round++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pool[Math.floor(next() * pool.length)]!).join('');
      for (const shown of [text, ellipsize(text, Math.floor(next() * 6))]) expect(displayWidth(shown), JSON.stringify(shown)).toBeGreaterThanOrEqual(strlen(shown));
    }
  });
});
