import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeJsonControls, sanitizeText } from '../../../src/output/sanitize.js';
import { peerString } from './arbitraries.js';

describe('sanitizeText', () => {
  it.each([
    ['\u001b[31mred', '\\x1b[31mred'],
    ['\u009b2J', '\\x9b2J'],
    ['a\tb\nc\rd\u0000', 'a\\x09b\\x0ac\\x0dd\\x00'],
    ['del\u007f', 'del\\x7f'],
    ['nel\u0085', 'nel\\x85'],
    ['bidi\u202eevil\u2066', 'bidi\\u202eevil\\u2066'],
    ['ls\u2028ps\u2029', 'ls\\u2028ps\\u2029'],
    ['prod\u200bgolden\u200d\u200e\u2060\ufeff', 'prod\\u200bgolden\\u200d\\u200e\\u2060\\ufeff'],
  ])('escapes %j', (text, shown) => {
    expect(sanitizeText(text)).toBe(shown);
  });

  it('leaves printable text alone, accents, CJK and emoji included', () => {
    const text = 'Ubuntu 24.04 — café 日本語 🚀 "quoted" \\back';
    expect(sanitizeText(text)).toBe(text);
  });

  it('never lets a control character through', () => {
    fc.assert(
      fc.property(peerString(), (text) => {
        expect(sanitizeText(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
    );
  });
});

describe('escapeJsonControls', () => {
  it('escapes what JSON.stringify leaves raw, as JSON escapes', () => {
    const json = JSON.stringify({ v: 'a\u009bb\u007f\u2028\u202e' });
    const escaped = escapeJsonControls(json);
    expect(escaped).toBe('{"v":"a\\u009bb\\u007f\\u2028\\u202e"}');
    expect(JSON.parse(escaped)).toEqual({ v: 'a\u009bb\u007f\u2028\u202e' });
  });
});
