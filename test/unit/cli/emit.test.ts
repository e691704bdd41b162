import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/cli/context.js';
import { emit, type Emission } from '../../../src/cli/emit.js';
import { parseGlobalOptions } from '../../../src/cli/globals.js';
import { UsageError } from '../../../src/errors.js';
import { SecretScrubber } from '../../../src/http/redact.js';
import type { Column } from '../../../src/output/columns.js';
import { createLogger } from '../../../src/output/log.js';
import { createProgress } from '../../../src/output/progress.js';

interface Image {
  id: string;
  name: string;
  hits: number;
}

const IMAGES: Image[] = [
  { id: 'img-a', name: 'cirros', hits: 3 },
  { id: 'img-b', name: 'ubuntu', hits: 0 },
];

const COLUMNS: Column<Image>[] = [
  { key: 'id', header: 'ID', text: (image) => image.id },
  { key: 'name', header: 'Name', text: (image) => image.name },
  { key: 'hits', header: 'Hits', align: 'right', text: (image) => String(image.hits) },
];

const EMISSION: Emission<Image> = {
  document: { nodes: [{ name: 'glance01', ok: true, error: null }], images: IMAGES.map((image) => ({ ...image, cached_on: ['glance01'] })) },
  listKey: 'images',
  rows: IMAGES,
  columns: COLUMNS,
  footer: '1 of 1 nodes answered',
};

function context(flags: Record<string, unknown>, tty = false): { context: CommandContext; out: () => string } {
  const written: string[] = [];
  const stdout = { write: (text: string) => written.push(text), isTTY: tty };
  const stderr = { write: () => true, isTTY: false };
  const scrubber = new SecretScrubber();
  return {
    out: () => written.join(''),
    context: {
      io: { stdout, stderr, interactive: false, colour: false, spinner: false, confirm: async () => false },
      log: createLogger({ stream: stderr, quiet: false, verbose: false, debug: false, timestamps: false, scrubber, now: () => 0 }),
      progress: createProgress(false, stderr),
      scrubber,
      globals: parseGlobalOptions(flags, stdout),
      env: {},
      cwd: '/',
      home: '/home/op',
      now: () => 0,
      signal: new AbortController().signal,
    },
  };
}

describe('emit', () => {
  it('writes the whole document as JSON without -c', async () => {
    const { context: ctx, out } = context({ json: true });
    await emit(ctx, EMISSION);
    expect(JSON.parse(out())).toEqual(EMISSION.document);
  });

  it('projects the listed items of a JSON document onto the -c columns, leaving the rest', async () => {
    const { context: ctx, out } = context({ json: true, column: ['hits', 'ID'] });
    await emit(ctx, EMISSION);
    const document = JSON.parse(out());
    expect(document.images).toEqual([
      { hits: 3, id: 'img-a' },
      { hits: 0, id: 'img-b' },
    ]);
    expect(Object.keys(document.images[0])).toEqual(['hits', 'id']);
    expect(document.nodes).toEqual(EMISSION.document.nodes);
  });

  it('projects YAML documents the same way', async () => {
    const { context: ctx, out } = context({ output: 'yaml', column: ['name'] });
    await emit(ctx, EMISSION);
    expect(out()).toBe('nodes:\n  - name: glance01\n    ok: true\n    error: null\nimages:\n  - name: cirros\n  - name: ubuntu\n');
  });

  it('picks table columns with -c and shows the footer', async () => {
    const { context: ctx, out } = context({ column: ['name'] }, true);
    await emit(ctx, EMISSION);
    const text = out();
    for (const shown of ['Name', 'cirros', 'ubuntu']) expect(text).toContain(shown);
    for (const hidden of ['ID', 'img-a', 'Hits']) expect(text).not.toContain(hidden);
    expect(text.endsWith('1 of 1 nodes answered\n')).toBe(true);
  });

  it('leaves the footer out under --quiet and in pipes', async () => {
    const quiet = context({ quiet: true }, true);
    await emit(quiet.context, EMISSION);
    expect(quiet.out()).not.toContain('nodes answered');
    const piped = context({});
    await emit(piped.context, EMISSION);
    expect(piped.out()).toBe('img-a\tcirros\t3\nimg-b\tubuntu\t0\n');
  });

  it('writes -c columns in the order given when piped', async () => {
    const { context: ctx, out } = context({ column: ['hits,id'] });
    await emit(ctx, EMISSION);
    expect(out()).toBe('3\timg-a\n0\timg-b\n');
  });

  it.each([{ json: true }, {}])('refuses an unknown -c column, listing the valid ones, and writes nothing (%j)', async (flags) => {
    const { context: ctx, out } = context({ ...flags, column: ['id', 'size'] });
    const error = await emit(ctx, EMISSION).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe("-c: unknown column 'size'; choose from: id, name, hits");
    expect(out()).toBe('');
  });
});
