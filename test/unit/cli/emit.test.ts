import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/cli/context.js';
import { emit, emitText, type Emission } from '../../../src/cli/emit.js';
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
      progress: createProgress(false, stderr, false),
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
    expect(piped.out()).toBe('ID\tName\tHits\nimg-a\tcirros\t3\nimg-b\tubuntu\t0\n');
  });

  it('pipes exactly what -f tsv prints on a terminal: a header row and raw values', async () => {
    const piped = context({});
    await emit(piped.context, EMISSION);
    const explicit = context({ format: 'tsv' }, true);
    await emit(explicit.context, EMISSION);
    expect(piped.out()).toBe(explicit.out());
    const bare = context({ headers: false });
    await emit(bare.context, EMISSION);
    expect(bare.out()).toBe('img-a\tcirros\t3\nimg-b\tubuntu\t0\n');
  });

  it('writes -c columns in the order given when piped', async () => {
    const { context: ctx, out } = context({ column: ['hits,id'] });
    await emit(ctx, EMISSION);
    expect(out()).toBe('Hits\tID\n3\timg-a\n0\timg-b\n');
  });

  it('sorts rows and the document\'s list alike by --sort-column, numbers by value', async () => {
    const rows = [...IMAGES, { id: 'img-c', name: 'alpine', hits: 12 }];
    const emission = { ...EMISSION, rows, document: { ...EMISSION.document, images: rows } };
    const table = context({ sortColumn: ['hits'], headers: false });
    await emit(table.context, emission);
    expect(table.out()).toBe('img-b\tubuntu\t0\nimg-a\tcirros\t3\nimg-c\talpine\t12\n');
    const json = context({ json: true, sortColumn: ['name'], sortDescending: true });
    await emit(json.context, emission);
    expect((JSON.parse(json.out()) as { images: Image[] }).images.map((image) => image.name)).toEqual(['ubuntu', 'cirros', 'alpine']);
  });

  it('cuts the list to its limit after --sort-column, so the top N are shown, in rows and document alike', async () => {
    const rows = [...IMAGES, { id: 'img-c', name: 'alpine', hits: 12 }];
    const emission = { ...EMISSION, rows, document: { ...EMISSION.document, images: rows }, limit: 2 };
    const table = context({ sortColumn: ['hits'], sortDescending: true, headers: false });
    await emit(table.context, emission);
    expect(table.out()).toBe('img-c\talpine\t12\nimg-a\tcirros\t3\n');
    // Without --sort-column, the command's own order (not the rows sorted by every column).
    const json = context({ json: true });
    await emit(json.context, { ...emission, rows: [...rows].reverse(), document: { ...EMISSION.document, images: [...rows].reverse() } });
    expect((JSON.parse(json.out()) as { images: Image[] }).images.map((image) => image.name)).toEqual(['alpine', 'ubuntu']);
  });

  it('refuses an unknown --sort-column, naming the flag', async () => {
    const { context: ctx } = context({ sortColumn: ['size'] });
    await expect(emit(ctx, EMISSION)).rejects.toThrow("--sort-column: unknown column 'size'; choose from: id, name, hits");
  });

  it('writes JSON on one line under --noindent', async () => {
    const { context: ctx, out } = context({ json: true, noindent: true });
    await emit(ctx, EMISSION);
    expect(out()).toBe(`${JSON.stringify(EMISSION.document)}\n`);
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

  describe('an overview above the list (diff, diff --orphans)', () => {
    interface Group {
      nodes: string;
      count: number;
    }
    const WITH_OVERVIEW: Emission<Image, Group> = {
      ...EMISSION,
      overview: { rows: [{ nodes: 'glance[01-02]', count: 2 }], columns: [{ key: 'nodes', header: 'Nodes', text: (group) => group.nodes }, { key: 'count', header: 'Count', text: (group) => String(group.count) }] },
    };

    it('on a terminal: the overview, a blank line, the list, the footer', async () => {
      const { context: ctx, out } = context({}, true);
      await emit(ctx, WITH_OVERVIEW);
      const [overview, list] = out().split('\n\n');
      expect(overview).toContain('glance[01-02]');
      expect(overview).not.toContain('cirros');
      expect(list).toContain('cirros');
      expect(out().endsWith('1 of 1 nodes answered\n')).toBe(true);
    });

    it('an empty list left out (showList: false): the overview and the footer only, no blank line', async () => {
      const { context: ctx, out } = context({}, true);
      await emit(ctx, { ...WITH_OVERVIEW, showList: false });
      expect(out()).toContain('glance[01-02]');
      expect(out()).not.toContain('cirros');
      expect(out()).not.toContain('\n\n');
      expect(out().endsWith('1 of 1 nodes answered\n')).toBe(true);
    });

    it('no overview with -c, in pipes or in documents; the list is always there off a terminal', async () => {
      const picked = context({ column: ['name'] }, true);
      await emit(picked.context, WITH_OVERVIEW);
      expect(picked.out()).not.toContain('glance[01-02]');
      const piped = context({});
      await emit(piped.context, { ...WITH_OVERVIEW, showList: false });
      expect(piped.out()).toBe('ID\tName\tHits\nimg-a\tcirros\t3\nimg-b\tubuntu\t0\n');
      const json = context({ json: true });
      await emit(json.context, { ...WITH_OVERVIEW, showList: false });
      expect(JSON.parse(json.out())).toEqual(EMISSION.document);
    });
  });

  it('writes a text of its own as it is, in every format', () => {
    for (const flags of [{}, { json: true }]) {
      const { context: ctx, out } = context(flags);
      emitText(ctx, 'inventory.yaml: OK\n');
      expect(out()).toBe('inventory.yaml: OK\n');
    }
  });
});
