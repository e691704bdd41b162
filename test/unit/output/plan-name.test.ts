import { describe, expect, it } from 'vitest';
import { closestNamesText, planName } from '../../../src/output/plan-name.js';

describe('planName', () => {
  it('quotes a name, so spaces at its ends or two in a row are seen', () => {
    expect(planName('prod-golden')).toBe('"prod-golden"');
    expect(planName('prod  golden')).toBe('"prod  golden"');
    expect(planName('prod-golden ')).toBe('"prod-golden "');
    expect(planName('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
  });

  it('tells apart names that only look alike: other dashes and spaces, invisible and control characters are escaped', () => {
    const alike = ['prod-golden', 'prod\u2010golden', 'prod\u2011golden', 'prod\u00a0golden', 'prod-golden\u200b', 'prod-golden\u202e', 'prod-golden\u007f', 'prod-golden\u0085', 'prod-golden\n'];
    const shown = alike.map(planName);
    expect(new Set(shown).size).toBe(alike.length);
    expect(shown.slice(1)).toEqual(['"prod\\u2010golden"', '"prod\\u2011golden"', '"prod\\u00a0golden"', '"prod-golden\\u200b"', '"prod-golden\\u202e"', '"prod-golden\\u007f"', '"prod-golden\\u0085"', '"prod-golden\\n"']);
    for (const text of shown) expect(text).toMatch(/^[\x20-\x7e]+$/);
  });

  it('keeps letters, marks and digits of any script as they are, and writes other symbols as JSON escapes', () => {
    expect(planName('débian-12-ünï')).toBe('"débian-12-ünï"');
    expect(planName('образ-١٢')).toBe('"образ-١٢"');
    expect(planName('golden 😀')).toBe('"golden \\ud83d\\ude00"');
    expect(JSON.parse(planName('golden 😀 prod\u2010x'))).toBe('golden 😀 prod\u2010x');
  });
});

describe('closestNamesText', () => {
  it('lists the closest names quoted as plans quote them, or nothing', () => {
    expect(closestNamesText('cirros', ['cirros-0.6.2-0002', 'cirros-0.6.2-0001', 'ubuntu'])).toBe('; closest: "cirros-0.6.2-0001", "cirros-0.6.2-0002"');
    expect(closestNamesText('cirros', ['cirros-\u202egnp'])).toBe('; closest: "cirros-\\u202egnp"');
    expect(closestNamesText('windows', ['ubuntu'])).toBe('');
  });
});
