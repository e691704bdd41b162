import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { AUTH_FLAG_SPECS, AUTH_SETTINGS } from '../../../src/auth/settings.js';

function parse(argv: string[]): Record<string, unknown> {
  const program = new Command().exitOverride();
  for (const spec of AUTH_FLAG_SPECS) program.option(spec.flag, spec.description);
  return program.parse(argv, { from: 'user' }).opts();
}

describe('the auth flag table', () => {
  it('names each option as commander parses it', () => {
    const argv = AUTH_FLAG_SPECS.flatMap((spec) => (spec.flag.includes('<') ? [spec.flag.split(' ')[0]!, `value-of-${spec.option}`] : [spec.flag]));
    const opts = parse(argv);
    for (const spec of AUTH_FLAG_SPECS) {
      const expected = spec.flag.includes('<') ? `value-of-${spec.option}` : spec.flag !== '--no-auth';
      expect(opts[spec.option], spec.flag).toBe(expected);
    }
  });

  it('gives --no-auth as auth: false, and auth: true without it', () => {
    expect(parse(['--no-auth']).auth).toBe(false);
    expect(parse([]).auth).toBe(true);
  });

  it('has one flag, one option and one primary variable per setting', () => {
    const unique = (values: string[]): number => new Set(values).size;
    expect(unique(AUTH_FLAG_SPECS.map((s) => s.flag))).toBe(AUTH_FLAG_SPECS.length);
    expect(unique(AUTH_SETTINGS.map((s) => s.option))).toBe(AUTH_SETTINGS.length);
    expect(unique(AUTH_SETTINGS.flatMap((s) => s.env))).toBe(AUTH_SETTINGS.flatMap((s) => s.env).length);
    expect(AUTH_SETTINGS.every((s) => s.env.every((name) => name.startsWith('OS_')))).toBe(true);
    expect(AUTH_SETTINGS.filter((s) => s.secret).map((s) => s.key)).toEqual(['password', 'application_credential_secret', 'token']);
  });
});
