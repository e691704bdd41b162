import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactUrl, redactValue, SecretScrubber } from '../../../src/http/redact.js';

describe('redactHeaders', () => {
  it('hides secret-bearing headers whatever their case and keeps the rest', () => {
    expect(
      redactHeaders({ 'X-Auth-Token': 't1', 'x-subject-token': 't2', Authorization: 'Basic abc', Cookie: 'c', 'Set-Cookie': 's', 'X-Service-Token': 't3', Accept: 'application/json', 'x-image-cache-clear-target': 'cache' }),
    ).toEqual({ 'X-Auth-Token': REDACTED, 'x-subject-token': REDACTED, Authorization: REDACTED, Cookie: REDACTED, 'Set-Cookie': REDACTED, 'X-Service-Token': REDACTED, Accept: 'application/json', 'x-image-cache-clear-target': 'cache' });
  });
});

describe('redactUrl', () => {
  it('removes the password and hides the user', () => {
    const out = redactUrl('https://admin:hunter2@keystone.example:5000/v3');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('admin');
    expect(out).toContain('keystone.example:5000/v3');
  });

  it('hides secret-looking query values and keeps the others', () => {
    const out = new URL(redactUrl('http://n:9292/v2/cache?token=abc&Password=p&app_secret=s&os_auth_key=k&limit=5'));
    expect(Object.fromEntries(out.searchParams)).toEqual({ token: REDACTED, Password: REDACTED, app_secret: REDACTED, os_auth_key: REDACTED, limit: '5' });
  });

  it('leaves a clean URL as it was, and a non-URL untouched', () => {
    expect(redactUrl('http://glance01:9292/v2/cache/abc')).toBe('http://glance01:9292/v2/cache/abc');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});

describe('redactValue', () => {
  it('hides secret-named strings and numbers at any depth, in arrays too', () => {
    const body = {
      auth: {
        identity: {
          methods: ['password', 'application_credential'],
          password: { user: { name: 'admin', domain: { id: 'default' }, password: 'hunter2' } },
          application_credential: { id: 'ac1', secret: 's3cr3t' },
        },
      },
      list: [{ token: 'tok' }, { pin: 1234, Secret: 9876 }],
      ok: true,
    };
    const text = JSON.stringify(redactValue(body));
    for (const secret of ['hunter2', 's3cr3t', '"tok"', '9876']) expect(text).not.toContain(secret);
    expect(redactValue(body)).toMatchObject({
      auth: { identity: { methods: ['password', 'application_credential'], password: { user: { name: 'admin', domain: { id: 'default' }, password: REDACTED } }, application_credential: { id: 'ac1', secret: REDACTED } } },
      list: [{ token: REDACTED }, { pin: 1234, Secret: REDACTED }],
      ok: true,
    });
  });

  it('returns scalars as they are', () => {
    expect(redactValue('x')).toBe('x');
    expect(redactValue(null)).toBeNull();
    expect(redactValue(3)).toBe(3);
  });
});

describe('SecretScrubber', () => {
  it('replaces every occurrence of every known secret', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('gAAAAABtoken');
    scrubber.add('hunter22');
    expect(scrubber.scrub('token gAAAAABtoken then gAAAAABtoken, password hunter22')).toBe(`token ${REDACTED} then ${REDACTED}, password ${REDACTED}`);
  });

  it('ignores empty and very short values, which would mangle ordinary text', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(undefined);
    scrubber.add(null);
    scrubber.add('');
    scrubber.add('abc');
    expect(scrubber.scrub('abc def')).toBe('abc def');
  });

  it('leaves nothing of a secret that contains a shorter one', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('pass');
    scrubber.add('password-for-keystone');
    const out = scrubber.scrub('auth with password-for-keystone');
    expect(out).not.toContain('for-keystone');
    expect(out).toBe(`auth with ${REDACTED}`);
  });

  it('changes nothing before a secret is known', () => {
    expect(new SecretScrubber().scrub('gAAAAABtoken')).toBe('gAAAAABtoken');
  });
});
