import fc from 'fast-check';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeTally } from '../../../src/core/prune-tally.js';
import { SecretScrubber } from '../../../src/http/redact.js';
import { lastSuccessIn, renderMetrics, writeMetricsFile, type PruneMetrics } from '../../../src/unattended/metrics.js';

/**
 * The text exposition format's grammar (prometheus.io/docs/instrumenting/exposition_formats): HELP and
 * TYPE comments, and samples `name{label="value",...} value [timestamp]` with \\, \" and \n the only
 * escapes in label values.
 */
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL})(?:,${LABEL})*\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) [^\\n]*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (?:counter|gauge|histogram|summary|untyped)$`);

/** Every line well-formed; HELP and TYPE once per metric, before its samples; a metric's samples together. */
function checkExposition(text: string): void {
  expect(text.endsWith('\n')).toBe(true);
  const typed = new Set<string>();
  const finished = new Set<string>();
  let current: string | null = null;
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    const sample = SAMPLE.exec(line);
    expect(help || type || sample, `not exposition format: ${JSON.stringify(line)}`).toBeTruthy();
    const name = (help ?? type ?? sample)![1]!;
    if (name !== current) {
      expect(finished.has(name), `${name} appears in two places`).toBe(false);
      if (current) finished.add(current);
      current = name;
    }
    if (type) {
      expect(typed.has(name)).toBe(false);
      typed.add(name);
    }
    if (sample) expect(typed.has(name), `${name} sampled before its TYPE`).toBe(true);
  }
}

/** Label values back from the text, escapes undone. */
function nodeLabels(text: string, metric: string): string[] {
  return [...text.matchAll(new RegExp(`^${metric}\\{node="((?:[^"\\\\]|\\\\.)*)"\\} `, 'gm'))].map((match) => match[1]!.replace(/\\(.)/g, (_all, char: string) => (char === 'n' ? '\n' : char)));
}

const tally = (node: string, freedBytes = 0, freedImages = 0, failed = false, interrupted = false): NodeTally => ({ node, freedBytes, freedImages, failed, interrupted });
const metrics = (changes: Partial<PruneMetrics> = {}): PruneMetrics => ({ nodes: [tally('glance01', 1048576, 1), tally('glance02', 0, 0, true)], durationSeconds: 1.2345, finishedAt: 1_800_000_000.5, success: true, interrupted: false, ...changes });

describe('renderMetrics', () => {
  it('writes each figure with HELP and TYPE, per node where it is per node', () => {
    const text = renderMetrics(metrics(), null);
    checkExposition(text);
    expect(text).toContain('glance_cache_prune_freed_bytes{node="glance01"} 1048576\n');
    expect(text).toContain('glance_cache_prune_freed_images{node="glance01"} 1\n');
    expect(text).toContain('glance_cache_prune_node_failed{node="glance02"} 1\n');
    expect(text).toContain('glance_cache_prune_nodes_failed 1\n');
    expect(text).toContain('glance_cache_prune_duration_seconds 1.234\n');
    expect(text).toContain('glance_cache_prune_last_run_timestamp_seconds 1800000000.500\n');
    expect(text).toContain('glance_cache_prune_last_success_timestamp_seconds 1800000000.500\n');
  });

  it('says an interrupted run was interrupted, and counts the nodes it left unfinished as not failed', () => {
    const text = renderMetrics(metrics({ success: false, interrupted: true, nodes: [tally('glance01', 1048576, 1, false, true), tally('glance02', 0, 0, false, true), tally('glance03', 0, 0, true)] }), null);
    checkExposition(text);
    expect(text).toContain('glance_cache_prune_interrupted 1\n');
    expect(text).toContain('glance_cache_prune_nodes_failed 1\n');
    expect(text).toContain('glance_cache_prune_node_failed{node="glance01"} 0\n');
    expect(text).toContain('glance_cache_prune_node_failed{node="glance03"} 1\n');
    expect(renderMetrics(metrics(), null)).toContain('glance_cache_prune_interrupted 0\n');
  });

  it('carries the previous success over on failure, and says 0 when there never was one', () => {
    expect(renderMetrics(metrics({ success: false }), 1_700_000_000)).toContain('glance_cache_prune_last_success_timestamp_seconds 1700000000\n');
    expect(renderMetrics(metrics({ success: false }), null)).toContain('glance_cache_prune_last_success_timestamp_seconds 0\n');
    expect(lastSuccessIn(renderMetrics(metrics({ finishedAt: 1_700_000_123 }), null))).toBe(1_700_000_123);
    expect(lastSuccessIn('garbage')).toBeNull();
  });

  it('stays valid exposition format for any node names, and escapes them so they read back unchanged', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 5 }), fc.boolean(), (names, success) => {
        const text = renderMetrics(metrics({ nodes: names.map((name, index) => tally(name, index * 10, index, index % 2 === 0)), success }), 1_700_000_000);
        checkExposition(text);
        expect(nodeLabels(text, 'glance_cache_prune_freed_bytes')).toEqual(names);
      }),
    );
    const text = renderMetrics(metrics({ nodes: [tally('a"b\\c\nd')] }), null);
    expect(text).toContain('glance_cache_prune_freed_bytes{node="a\\"b\\\\c\\nd"} 0\n');
  });
});

describe('writeMetricsFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'glance-cache-metrics-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the previous file back, so a failed run keeps the last success's time", async () => {
    const file = join(dir, 'glance_cache_prune.prom');
    await writeMetricsFile(file, metrics({ finishedAt: 1_700_000_000, success: true }), new SecretScrubber());
    await writeMetricsFile(file, metrics({ finishedAt: 1_700_000_600, success: false }), new SecretScrubber());
    const text = readFileSync(file, 'utf8');
    checkExposition(text);
    expect(text).toContain('glance_cache_prune_last_run_timestamp_seconds 1700000600\n');
    expect(text).toContain('glance_cache_prune_last_success_timestamp_seconds 1700000000\n');
    writeFileSync(file, 'not metrics');
    await writeMetricsFile(file, metrics({ success: false }), new SecretScrubber());
    expect(readFileSync(file, 'utf8')).toContain('glance_cache_prune_last_success_timestamp_seconds 0\n');
  });

  it('scrubs secrets from label values but never from numbers, and keeps the mode an operator gave the file', async () => {
    const file = join(dir, 'glance_cache_prune.prom');
    const scrubber = new SecretScrubber();
    scrubber.add('node-named-after-the-password');
    // A numeric password of 8 digits that a timestamp contains.
    scrubber.add('17000006');
    await writeMetricsFile(file, metrics({ nodes: [tally('node-named-after-the-password')], finishedAt: 1_700_000_600, success: true }), scrubber);
    const text = readFileSync(file, 'utf8');
    checkExposition(text);
    expect(text).toContain('glance_cache_prune_freed_bytes{node="<redacted>"} 0\n');
    expect(text).toContain('glance_cache_prune_last_success_timestamp_seconds 1700000600\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    await writeMetricsFile(file, metrics({}), scrubber);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});
