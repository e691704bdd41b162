import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { responseOf, type HttpResponse } from '../../../src/http/client.js';
import { RequestFailure } from '../../../src/http/failure.js';
import { errorReason, expectJson, expectStatus } from '../../../src/http/json.js';

const response = (status: number, text: string): HttpResponse => responseOf(status, {}, text);

function thrown(action: () => unknown): RequestFailure {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestFailure);
    return error as RequestFailure;
  }
  throw new Error('expected a RequestFailure');
}

const GLANCE_403_HTML = `<html>
 <head>
  <title>403 Forbidden</title>
 </head>
 <body>
  <h1>403 Forbidden</h1>
  Access was denied to this resource.<br /><br />



 </body>
</html>`;

describe('expectStatus', () => {
  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [400, 'http'],
    [409, 'http'],
    [500, 'http'],
    [503, 'http'],
  ])('turns %d into %s, keeping the status', (status, kind) => {
    const error = thrown(() => expectStatus(response(status, ''), [200]));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.message).toBe(`HTTP ${status}`);
  });

  it('accepts any of the expected statuses', () => {
    expect(() => expectStatus(response(204, ''), [202, 204])).not.toThrow();
    expect(thrown(() => expectStatus(response(200, ''), [202, 204])).kind).toBe('http');
  });

  it('carries the peer’s JSON message', () => {
    const body = '{"message": "You are not authorized to complete cache_list action.", "code": "403 Forbidden", "title": "Forbidden"}';
    expect(thrown(() => expectStatus(response(403, body), [200])).message).toBe('HTTP 403: You are not authorized to complete cache_list action.');
  });

  it('reduces a Glance HTML error page to one line', () => {
    const error = thrown(() => expectStatus(response(403, GLANCE_403_HTML), [200]));
    expect(error.message).toBe('HTTP 403: 403 Forbidden Access was denied to this resource.');
  });
});

describe('errorReason', () => {
  it.each([
    ['{"message": "Image abc not found.", "code": "404 Not Found", "title": "Not Found"}', 'Image abc not found.'],
    ['{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}', 'The request you have made requires authentication.'],
    ['{"itemNotFound": {"message": "gone"}}', 'gone'],
    ['{"title": "Bad Request"}', 'Bad Request'],
    ['<html><head><style>body{color:red}</style><script>alert(1)</script></head><body><h1>500</h1>\n\n oops </body></html>', '500 oops'],
    ['  plain\n text\r\n  reason  ', 'plain text reason'],
    ['', ''],
    ['   \n ', ''],
    ['{not json', '{not json'],
  ])('reads %j as %j', (body, reason) => {
    expect(errorReason(body)).toBe(reason);
  });

  it('keeps control characters as data (output escapes them) and caps the length', () => {
    const reason = errorReason(`{"message": "evil\\u001b[2J\\u009b31m${'x'.repeat(500)}"}`);
    expect(reason.startsWith('evil\u001b[2J\u009b31m')).toBe(true);
    expect(reason).toHaveLength(200);
    expect(reason.endsWith('…')).toBe(true);
  });

  it('keeps control characters of HTML pages as data, on one line', () => {
    expect(errorReason('<h1>bad\u001b]0;title\u0007\n\u2028more</h1>')).toBe('bad\u001b]0;title\u0007 more');
  });
});

describe('expectJson', () => {
  it('parses a JSON body with an expected status', () => {
    expect(expectJson(response(200, '{"cached_images":[],"queued_images":["a"]}'))).toEqual({ cached_images: [], queued_images: ['a'] });
    expect(expectJson(response(300, '{"versions":[]}'), [200, 300])).toEqual({ versions: [] });
  });

  it('checks the status before the body', () => {
    expect(thrown(() => expectJson(response(404, '{"message":"no such image"}'))).message).toBe('HTTP 404: no such image');
  });

  it('says an empty body is empty', () => {
    const error = thrown(() => expectJson(response(200, '  ')));
    expect(error).toMatchObject({ kind: 'bad-response', status: 200 });
    expect(error.message).toBe('answered 200 with an empty body, expected JSON');
  });

  it('says an HTML 200 is HTML, naming its title', () => {
    const error = thrown(() => expectJson(response(200, '<!DOCTYPE html><html><head><title>Login\n required</title></head><body>…</body></html>')));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe('answered 200 with HTML, not JSON (Login required)');
  });

  it.each(['{"cached_images":[{"image_id":"x"', '{"a":1', '[1,2', '{"a": "abc', '{"a":', '{', '{"a":1   '])('calls %j truncated', (body) => {
    const error = thrown(() => expectJson(response(200, body)));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe(`answered truncated JSON (${body.length} bytes)`);
  });

  it('never quotes the text around the fault, where a token would show its head past the scrubber', () => {
    const error = thrown(() => expectJson(response(200, `{"images": [{"name": gAAAAA-issued-token-0001-${'x'.repeat(40)}}]}`)));
    expect(error.message).toBe("answered invalid JSON: Unexpected token 'g'");
  });

  it.each([
    ['{"cached_images": [], "cached_images": [{"image_id": "a"}]}', 'cached_images'],
    ['{"cached_images": [{"image_id": "a", "size": 1, "size": 999}], "queued_images": []}', 'size'],
    ['{"a\\u0062": 1, "ab": 2}', 'ab'],
    ['{"t": "12:00", "x": {"k": 1}, "x": 2}', 'x'],
    [`{"${'k'.repeat(65)}": 1, "${'k'.repeat(65)}": 2}`, null],
  ])('refuses an answer with a key twice in one object (%#), naming the key when it is short', (body, key) => {
    const error = thrown(() => expectJson(response(200, body)));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe(`answered JSON with a duplicate key ${key === null ? 'of 65 characters' : `"${key}"`} in one object; refused, as either value could be the one meant`);
  });

  it('sees no duplicate in keys repeated across objects, nor in strings that hold colons, commas, quotes and braces', () => {
    const body = '{"a": "x:\\"y\\",{\\\\", "b": {"a": 1, "b": [{"a": 1}, {"a": 2}]}, "c": "}{:,", "d": []}';
    expect(expectJson(response(200, body))).toEqual(JSON.parse(body));
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(() => expectJson(response(200, deep))).not.toThrow();
  });

  it('reads any JSON a node could send without a repeated key exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(expectJson(response(200, text))).toEqual(JSON.parse(text));
      }),
    );
  });

  it.each(['nope', '{"a":1}x', '{"a":1,}', 'nope\u001b[31m\u009b'])('calls %j invalid, on one line without quoting the body', (body) => {
    const error = thrown(() => expectJson(response(200, body)));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toMatch(/^answered invalid JSON: /);
    expect(error.message).not.toMatch(/\n|nope|31m/);
  });
});
