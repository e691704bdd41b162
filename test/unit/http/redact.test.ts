import { describe, expect, it } from 'vitest';
import { responseOf, type HttpClient } from '../../../src/http/client.js';
import { expectStatus } from '../../../src/http/json.js';
import { REDACTED, redactHeaders, redactUrl, redactValue, scrubErrorBodies, SecretScrubber } from '../../../src/http/redact.js';

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

  it('never searches text for a secret shorter than 8 characters, and warns once per such secret instead', () => {
    const warnings: string[] = [];
    const scrubber = new SecretScrubber((line) => warnings.push(line));
    scrubber.add(undefined);
    scrubber.add(null);
    scrubber.add('');
    scrubber.add('2026', 'the password from OS_* environment');
    scrubber.add('2026', 'the password from OS_* environment');
    scrubber.add('null,', 'the token from OS_* environment');
    expect(scrubber.scrub('{"last_accessed": "2026-12-05T10:00:00Z", "name": null, "size": 1}')).toBe('{"last_accessed": "2026-12-05T10:00:00Z", "name": null, "size": 1}');
    expect(warnings).toEqual([
      'the password from OS_* environment is shorter than 8 characters, too short to tell apart from ordinary text: it cannot be reliably redacted from what nodes and Keystone send back, so it is not; use a longer one',
      'the token from OS_* environment is shorter than 8 characters, too short to tell apart from ordinary text: it cannot be reliably redacted from what nodes and Keystone send back, so it is not; use a longer one',
    ]);
  });

  it('finds a secret in every form a format or a peer may write it in: raw, JSON, URL, HTML, CSV, YAML, escaped controls', () => {
    const secret = `pa"ss\\wo'rd&<x> 1\u0007`;
    const scrubber = new SecretScrubber();
    scrubber.add(secret);
    const written = [
      secret,
      JSON.stringify({ password: secret }),
      `https://x/?password=${encodeURIComponent(secret)}`,
      `https://x/?${new URLSearchParams({ password: secret }).toString()}`,
      encodeURIComponent(secret).toLowerCase(),
      `<p>${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;')}</p>`,
      `"${secret.replace(/"/g, '""')}"`,
      `'${secret.replace(/'/g, "''")}'`,
      'pa"ss\\wo\'rd&<x> 1\\x07',
    ];
    for (const text of written) expect(scrubber.scrub(text)).toContain(REDACTED);
    for (const text of written) expect(scrubber.scrub(text)).not.toMatch(/ss\\{1,2}wo/);
  });

  it("finds a secret written as ASCII-only JSON, as Python's json.dumps writes it (\\u00e4), in small or capital hex", () => {
    const secret = 'pässwörd-ünï<&>\u007f😀x';
    const scrubber = new SecretScrubber();
    scrubber.add(secret);
    const python = JSON.stringify(secret).slice(1, -1).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(python).toBe('p\\u00e4ssw\\u00f6rd-\\u00fcn\\u00ef<&>\\u007f\\ud83d\\ude00x');
    const capital = python.replace(/\\u[0-9a-f]{4}/g, (escape) => `\\u${escape.slice(2).toUpperCase()}`);
    const keptDel = python.replace('\\u007f', '\u007f');
    for (const form of [python, capital, keptDel]) expect(scrubber.scrub(`{"message": "Invalid password ${form} for user"}`)).toBe(`{"message": "Invalid password ${REDACTED} for user"}`);
  });

  it('scrubs a JSON answer string by string as it decodes, whatever its writer escaped, and leaves one without a secret byte for byte', () => {
    const secret = 'hunter22-secret';
    const scrubber = new SecretScrubber();
    scrubber.add(secret);
    const everyCharEscaped = [...secret].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const answer = `{"error": {"message": "bad password ${everyCharEscaped}", "code": 400}, "a":  1}`;
    expect(scrubber.scrub(answer)).toBe(answer);
    expect(JSON.parse(scrubber.scrubAnswer(answer))).toEqual({ error: { message: `bad password ${REDACTED}`, code: 400 }, a: 1 });
    const clean = '{"error": {"message": "bad password", "code": 400},   "a": 1}';
    expect(scrubber.scrubAnswer(clean)).toBe(clean);
    expect(scrubber.scrubAnswer(`<p>${secret}</p>`)).toBe(`<p>${REDACTED}</p>`);
  });

  it('leaves nothing of a secret that contains a shorter one', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('password');
    scrubber.add('password-for-keystone');
    const out = scrubber.scrub('auth with password-for-keystone');
    expect(out).not.toContain('for-keystone');
    expect(out).toBe(`auth with ${REDACTED}`);
  });

  it('scrubs every string of a document, keys included, and nothing else, so it stays the same shape', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('gAAAAA"token');
    scrubber.add('12345678');
    const document = { error: 'node said gAAAAA"token', size: 123456789, nested: [{ 'gAAAAA"token': null, ok: true }] };
    expect(scrubber.scrubValue(document)).toEqual({ error: `node said ${REDACTED}`, size: 123456789, nested: [{ [REDACTED]: null, ok: true }] });
  });

  it('changes nothing before a secret is known', () => {
    expect(new SecretScrubber().scrub('gAAAAABtoken')).toBe('gAAAAABtoken');
  });
});

describe('scrubErrorBodies', () => {
  const client = (status: number, text: string): HttpClient => ({ send: async () => responseOf(status, {}, text) });
  const request = { method: 'GET' as const, url: 'http://n/v2/cache' };

  it("scrubs an error answer before anyone reads it, so cutting the peer's message short keeps no head of a token", async () => {
    const token = 'gAAAAA-issued-token-0001-abcdefghijklmnopqrstuvwxyz';
    const scrubber = new SecretScrubber();
    scrubber.add(token);
    const message = `${'x'.repeat(170)} token ${token} rejected`;
    const response = await scrubErrorBodies(client(500, JSON.stringify({ message })), scrubber).send(request);
    let error: unknown;
    try {
      expectStatus(response, [200]);
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).toContain(`token ${REDACTED}`);
    expect((error as Error).message).not.toContain('gAAAAA');
  });

  it('scrubs an error answer as errorReason will read it: decoded, before its tags are stripped and its line is cut', async () => {
    const password = `pa"ss\\word-ünï<&>'xyz`;
    const scrubber = new SecretScrubber();
    scrubber.add(password);
    // Each character escaped, as no list of forms foresees; the password across the 200-character cut, or holding a "tag".
    const escaped = [...password].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    for (const pad of [0, 165, 172]) {
      const body = `{"error": {"code": 400, "title": "Bad Request", "message": "${'x'.repeat(pad)} Invalid password ${escaped} for user"}}`;
      const response = await scrubErrorBodies(client(400, body), scrubber).send(request);
      let message = '';
      try {
        expectStatus(response, [200]);
      } catch (caught) {
        message = (caught as Error).message;
      }
      expect(message).toMatch(/^HTTP 400: x* ?Invalid password <red/);
      for (const piece of ['pa"ss', 'ss\\wo', 'rd-ü', 'ünï', "'xyz"]) expect(message).not.toContain(piece);
    }
  });

  it('leaves successful answers as they came: they are data, and large', async () => {
    const scrubber = new SecretScrubber();
    scrubber.add('gAAAAA-issued-token-0001');
    const body = '{"images": [{"name": "gAAAAA-issued-token-0001"}]}';
    expect((await scrubErrorBodies(client(200, body), scrubber).send(request)).text).toBe(body);
  });
});