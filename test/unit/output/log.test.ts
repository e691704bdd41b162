import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../../../src/http/redact.js';
import { createLogger, type LoggerOptions } from '../../../src/output/log.js';

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5);

function setup(overrides: Partial<LoggerOptions> = {}) {
  const written: string[] = [];
  const events: string[] = [];
  const log = createLogger({
    stream: { write: (text: string) => (written.push(text), events.push('write')) },
    quiet: false,
    verbose: false,
    debug: false,
    timestamps: false,
    scrubber: new SecretScrubber(),
    now: () => NOW,
    beforeWrite: () => events.push('before'),
    afterWrite: () => events.push('after'),
    ...overrides,
  });
  return { log, written, events };
}

describe('createLogger', () => {
  it('writes one prefixed line per call', () => {
    const { log, written } = setup();
    log.error('glance03: connection refused');
    log.warn('2 of 3 nodes answered');
    log.info('done');
    expect(written).toEqual(['error: glance03: connection refused\n', 'warning: 2 of 3 nodes answered\n', 'done\n']);
  });

  it('stamps each line with the injected clock when asked (no terminal), not otherwise', () => {
    const stamped = setup({ timestamps: true });
    stamped.log.error('x');
    stamped.log.info('y');
    expect(stamped.written).toEqual(['2024-01-02T03:04:05.000Z error: x\n', '2024-01-02T03:04:05.000Z y\n']);
    const plain = setup();
    plain.log.error('x');
    expect(plain.written).toEqual(['error: x\n']);
  });

  it('drops info under --quiet but never warnings or errors', () => {
    const { log, written } = setup({ quiet: true });
    log.info('progress');
    log.warn('w');
    log.error('e');
    expect(written).toEqual(['warning: w\n', 'error: e\n']);
  });

  it('writes verbose lines only with --verbose or --debug', () => {
    for (const [flags, count] of [[{}, 0], [{ verbose: true }, 1], [{ debug: true }, 1]] as const) {
      const { log, written } = setup(flags);
      log.verbose('detail');
      expect(written).toHaveLength(count);
    }
  });

  it('writes debug lines only with --debug', () => {
    const off = setup();
    off.log.debug('GET http://n -> 200');
    expect(off.written).toEqual([]);
    expect(off.log.debugEnabled).toBe(false);
    const on = setup({ debug: true });
    on.log.debug('GET http://n -> 200');
    expect(on.written).toEqual(['debug: GET http://n -> 200\n']);
    expect(on.log.debugEnabled).toBe(true);
  });

  it('scrubs known secrets from every line', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('gAAAAABsecret');
    const { log, written } = setup({ scrubber, debug: true });
    log.error('keystone said: token gAAAAABsecret expired');
    log.debug('x-auth-token: gAAAAABsecret');
    expect(written.join('')).not.toContain('gAAAAABsecret');
    expect(written[0]).toBe('error: keystone said: token <redacted> expired\n');
  });

  it('escapes control characters so each call stays one harmless line', () => {
    const { log, written } = setup();
    log.error('glance02: HTTP 500: boom\u001b[2J\nforged line\u009b');
    expect(written).toEqual(['error: glance02: HTTP 500: boom\\x1b[2J\\x0aforged line\\x9b\n']);
  });

  it('clears the spinner around written lines only', () => {
    const { log, events } = setup({ quiet: true });
    log.info('suppressed');
    log.debug('suppressed');
    expect(events).toEqual([]);
    log.warn('w');
    expect(events).toEqual(['before', 'write', 'after']);
  });
});
