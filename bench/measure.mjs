// Runs a command several times and reports wall-time percentiles and peak RSS. The child runs
// asynchronously so that simulated nodes living in this process keep answering.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const rssHook = new URL('./report-rss.mjs', import.meta.url).href;

export async function timeOnce(command, args, { env = {}, rss = false } = {}) {
  const started = performance.now();
  const child = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, ...(rss ? { NODE_OPTIONS: `--import=${rssHook}` } : {}) },
  });
  let stderr = '';
  let rssKb = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdio[3].on('data', (chunk) => (rssKb += chunk));
  const [code] = await once(child, 'exit');
  const ms = performance.now() - started;
  return { ms, code, stderr, rssMb: rssKb ? Number(rssKb.trim()) / 1024 : null };
}

export async function timeMany(command, args, runs, options = {}) {
  const results = [];
  for (let run = 0; run < runs; run++) results.push(await timeOnce(command, args, options));
  return summarise(results);
}

/**
 * Runs each variant once per round, in turn, so that a change in the machine's load falls on every
 * variant alike: the way an A/B is measured here. Returns one timeMany-shaped figure per variant.
 */
export async function timeInterleaved(variants, rounds, options = {}) {
  const results = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, variant] of variants.entries()) {
      results[index].push(await timeOnce(variant.command, variant.args, { ...options, env: { ...options.env, ...variant.env } }));
    }
  }
  return results.map((runs) => summarise(runs));
}

function summarise(results) {
  const sorted = results.map((result) => result.ms).sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    runs: results.length,
    p50: pick(0.5),
    p90: pick(0.9),
    min: sorted[0],
    codes: [...new Set(results.map((result) => result.code))],
    rssMb: Math.max(...results.map((result) => result.rssMb ?? 0)) || null,
    stderr: results.at(-1).stderr,
  };
}
