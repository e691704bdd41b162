/**
 * purge through main() against simulated nodes: the plan, the confirmation rules, the outcome and its
 * exit codes, orphans, crafted arguments, partial failure and re-runs, Ctrl-C.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, holdsImage, placeImage, resultsOf, writes, type ActJson } from './act-support.js';

let fleet: SimFleetOnDisk;
let image: string;
beforeEach(async () => {
  fleet = await simFleetOnDisk();
  image = placeImage(fleet, 'purge-me', [0, 1]);
});
afterEach(async () => {
  await fleet.close();
});

const purge = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(['-i', fleet.inventory, 'purge', ...args], options);

describe('purge', () => {
  it('deletes the image where it is cached, reports the others as already absent, and sends nothing else', async () => {
    const run = await purge([image, '-a', '--yes', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.dry_run).toBe(false);
    expect(json.plan).toEqual([
      { node: 'glance01', image, action: 'delete' },
      { node: 'glance02', image, action: 'delete' },
    ]);
    expect(json.outcome).toEqual([
      { node: 'glance01', image, name: 'purge-me', action: 'delete', result: 'done', ok: true, error: null, note: null },
      { node: 'glance02', image, name: 'purge-me', action: 'delete', result: 'done', ok: true, error: null, note: null },
      { node: 'glance03', image, name: 'purge-me', action: 'delete', result: 'already', ok: true, error: null, note: null },
    ]);
    expect(json.nodes.map((node) => node.name)).toEqual(['glance01', 'glance02', 'glance03']);
    expect(allWrites(fleet)).toEqual([`glance01 DELETE /v2/cache/${image}`, `glance02 DELETE /v2/cache/${image}`]);
    expect(fleet.nodes.map((node) => holdsImage(node, image))).toEqual(['absent', 'absent', 'absent']);
  });

  it('logs a line per deletion where no terminal reads stderr (a cron log), and none on a terminal without -v', async () => {
    const done = (stderr: string) => stderr.split('\n').filter((line) => line.endsWith(`"purge-me" (${image}): done`));
    const piped = await purge([image, '-a', '--yes', '-f', 'json']);
    expect(piped.code).toBe(0);
    expect(done(piped.stderr).map((line) => line.replace(/^\S+Z /, '').split(':')[0])).toEqual(['glance01', 'glance02']);
    for (const node of fleet.nodes.slice(0, 2)) node.readImage(image);
    const terminal = await purge([image, '-a', '--yes', '-f', 'json'], { stderrTty: true });
    expect(terminal.code).toBe(0);
    expect(done(terminal.stderr)).toEqual([]);
    for (const node of fleet.nodes.slice(0, 2)) node.readImage(image);
    const verbose = await purge([image, '-a', '--yes', '-f', 'json', '-v'], { stderrTty: true });
    expect(done(verbose.stderr)).toHaveLength(2);
  });

  it('--dry-run prints the plan and sends no PUT or DELETE at all', async () => {
    const run = await purge([image, 'purge-me', '-a', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.dry_run).toBe(true);
    expect(json.plan.map((item) => item.node)).toEqual(['glance01', 'glance02']);
    expect(json.outcome).toEqual([]);
    expect(allWrites(fleet)).toEqual([]);
    expect(holdsImage(fleet.nodes[0]!, image)).toBe('cached');
  });

  it('refuses without a terminal unless --yes, after printing the plan: exit 2, nothing sent', async () => {
    const run = await purge([image, '-a']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('plan: purge 1 image from 2 nodes (2 deletions):');
    expect(run.stderr).toContain(`delete "purge-me" (${image}) on glance[01-02]`);
    expect(run.stderr).toMatch(/error: refusing to purge 1 image from 2 nodes \(2 deletions\) without confirmation: no terminal to ask on; pass --yes/);
    expect(run.stdout).toBe('');
    expect(allWrites(fleet)).toEqual([]);
  });

  it('asks on a terminal with the counts, and sends nothing when the answer is no', async () => {
    const questions: string[] = [];
    const declined = await purge([image, '-a'], { tty: true, confirm: async (question) => (questions.push(question), false) });
    expect(questions).toEqual(['purge 1 image from 2 nodes (2 deletions)?']);
    expect(declined.code).toBe(2);
    expect(declined.stderr).toContain('not confirmed: nothing was sent');
    expect(allWrites(fleet)).toEqual([]);
    const accepted = await purge([image, '-a'], { tty: true, answer: true });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('│ Node');
    expect(accepted.stdout.trimEnd().split('\n').at(-1)).toBe('2 done, 1 already, 0 failed');
    expect(writes(fleet.nodes[0]!)).toEqual([`DELETE /v2/cache/${image}`]);
  });

  it('purges an orphan (deleted in Glance, still cached or queued) given by ID', async () => {
    fleet.nodes[2]!.queueImage(image);
    fleet.catalog.delete(image);
    const run = await purge([image, '-a', '-y', '--json']);
    expect(run.code).toBe(0);
    expect(resultsOf(JSON.parse(run.stdout) as ActJson)).toEqual([`glance01 delete ${image} done`, `glance02 delete ${image} done`, `glance03 delete ${image} done`]);
    expect(fleet.nodes.map((node) => holdsImage(node, image))).toEqual(['absent', 'absent', 'absent']);
  });

  it('never lets a crafted argument reach a node path: it is a name, and no image has it', async () => {
    for (const crafted of ['../../v2/cache', `${image}/../../cache`, '%2e%2e%2fcache']) {
      const run = await purge([crafted, '-a', '-y']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no image named/);
    }
    expect(allWrites(fleet)).toEqual([]);
    const paths = fleet.nodes.flatMap((node) => node.requests.map((request) => request.path));
    expect(paths.some((path) => path.includes('../') || path.startsWith('/v2/cache/..'))).toBe(false);
  });

  it('names every candidate of an ambiguous name and sends nothing', async () => {
    const twin = fleet.catalog.add({ name: 'purge-me' }).id;
    const run = await purge(['purge-me', '-a', '-y']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("image name 'purge-me' is ambiguous");
    expect(run.stderr).toContain(image);
    expect(run.stderr).toContain(twin);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(allWrites(fleet)).toEqual([]);
  });

  it('exits 3 naming the failed node when some deletions fail, and a re-run does only what is left', async () => {
    const first = await purge([image, '-a', '--json'], {
      tty: true,
      // The node fails after the plan was made from its listing, as a node that breaks mid-run.
      confirm: async () => (fleet.nodes[1]!.setFaults({ status: 500 }), true),
    });
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/error: glance02: HTTP 500.*\(delete "purge-me"/);
    const json = JSON.parse(first.stdout) as ActJson;
    expect(json.outcome.find((row) => row.node === 'glance02')).toMatchObject({ result: 'failed', ok: false, error: expect.stringMatching(/^HTTP 500/) });
    expect(holdsImage(fleet.nodes[0]!, image)).toBe('absent');
    expect(holdsImage(fleet.nodes[1]!, image)).toBe('cached');

    fleet.nodes[1]!.setFaults({});
    const before = allWrites(fleet).length;
    const second = await purge([image, '-a', '-y', '--json']);
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as ActJson).plan).toEqual([{ node: 'glance02', image, action: 'delete' }]);
    expect(allWrites(fleet).slice(before)).toEqual([`glance02 DELETE /v2/cache/${image}`]);
    expect(fleet.nodes.map((node) => holdsImage(node, image))).toEqual(['absent', 'absent', 'absent']);
  });

  it('exits 4 when every action failed', async () => {
    const run = await purge([image, '-a'], { tty: true, confirm: async () => (fleet.nodes.forEach((node) => node.setFaults({ status: 503 })), true) });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/glance01: HTTP 503/);
    expect(run.stderr).toMatch(/glance02: HTTP 503/);
  });

  it('exits 3 when a node does not answer the listing: the others are done, the silent one named', async () => {
    fleet.nodes[1]!.setFaults({ status: 500 });
    const run = await purge([image, '-a', '-y', '--json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/glance02 \(http:.*\): HTTP 500/);
    expect(resultsOf(JSON.parse(run.stdout) as ActJson)).toEqual([`glance01 delete ${image} done`, `glance03 delete ${image} already`]);
  });

  it('on Ctrl-C starts nothing new, lets what is in flight finish, and reports exactly what was and was not done: exit 130', async () => {
    const more = [placeImage(fleet, 'second', [0, 1, 2]), placeImage(fleet, 'third', [0, 1, 2])];
    const controller = new AbortController();
    const run = await purge([image, ...more, '-a', '--node-concurrency', '1', '--json'], {
      tty: true,
      signal: controller.signal,
      confirm: async () => {
        for (const node of fleet.nodes) node.setFaults({ latencyMs: 200 });
        // Ctrl-C as soon as the first deletion reaches a node, while it is still in flight.
        const watch = setInterval(() => {
          if (allWrites(fleet).length > 0) {
            clearInterval(watch);
            controller.abort(new Error('interrupted'));
          }
        }, 1);
        return true;
      },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/interrupted: \d+ done, 0 failed, \d+ not sent/);
    const json = JSON.parse(run.stdout) as ActJson;
    const skipped = json.outcome.filter((row) => row.result === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((row) => row.ok === false && row.error === 'not sent: interrupted')).toBe(true);
    for (const node of fleet.nodes) {
      const done = json.outcome.filter((row) => row.node === node.name && row.result === 'done').map((row) => `DELETE /v2/cache/${row.image}`);
      // The report is the truth: exactly the requests the node received, and their effect.
      expect(writes(node).sort()).toEqual(done.sort());
      for (const row of json.outcome.filter((item) => item.node === node.name && item.result !== 'already')) {
        expect(holdsImage(node, row.image!)).toBe(row.result === 'done' ? 'absent' : 'cached');
      }
    }
  });

  it('exits 4 with the policy named when the token may not use the cache API, and changes nothing', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ tokens: { admin: ['admin-token'], member: ['member-token'] } });
    image = placeImage(fleet, 'purge-me', [0]);
    const run = await purge([image, '-a', '-y'], { env: { OS_AUTH_TOKEN: 'member-token' } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/glance01: forbidden: policy cache_list/);
    expect(allWrites(fleet)).toEqual([]);
    expect(holdsImage(fleet.nodes[0]!, image)).toBe('cached');
  });
});
