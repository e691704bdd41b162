import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCandidates, imageCandidates, labelCandidates, nodeCandidates, type InventoryNames } from '../../../src/complete/candidates.js';

const names: InventoryNames = {
  nodes: [
    { name: 'glance01', url: 'http://10.0.0.11:9292' },
    { name: 'glance02', url: 'http://10.0.0.12:9292' },
    { name: 'cache1', url: 'https://cache1:9393/glance' },
  ],
  groups: { az1: 2, edge: 1 },
  labels: { 'az=az1': 2, 'az=az2': 1, 'role=gpu': 1 },
};

describe('nodeCandidates', () => {
  it('offers node names described by their URL, and @groups with their size', () => {
    expect(nodeCandidates(names, '')).toEqual([
      { value: 'glance01', description: 'http://10.0.0.11:9292' },
      { value: 'glance02', description: 'http://10.0.0.12:9292' },
      { value: 'cache1', description: 'https://cache1:9393/glance' },
      { value: '@az1', description: 'group of 2 nodes' },
      { value: '@edge', description: 'group of 1 node' },
    ]);
  });

  it('completes the last term of a comma-separated set, leaving out the terms already there', () => {
    expect(nodeCandidates(names, 'glance01,gl').map((candidate) => candidate.value)).toEqual(['glance01,glance02']);
    expect(nodeCandidates(names, '@az1,@').map((candidate) => candidate.value)).toEqual(['@az1,@edge']);
  });

  it('offers only what starts with the word typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), (typed) => {
        for (const candidate of nodeCandidates(names, typed)) expect(candidate.value.startsWith(typed)).toBe(true);
      }),
    );
  });
});

describe('labelCandidates', () => {
  it('offers each key=value label described by how many nodes have it, those starting with the word typed', () => {
    expect(labelCandidates(names, '')).toEqual([
      { value: 'az=az1', description: 'label of 2 nodes' },
      { value: 'az=az2', description: 'label of 1 node' },
      { value: 'role=gpu', description: 'label of 1 node' },
    ]);
    expect(labelCandidates(names, 'az=').map((candidate) => candidate.value)).toEqual(['az=az1', 'az=az2']);
    expect(labelCandidates(names, 'zone')).toEqual([]);
  });
});

describe('imageCandidates', () => {
  const images = [
    { id: 'aaaa-1', name: 'cirros 0.6.2' },
    { id: 'bbbb-2', name: 'ubuntu' },
    { id: 'cccc-3', name: 'ubuntu' },
    { id: 'dddd-4', name: null },
  ];

  it('offers names (by ID, or how many share them) and IDs (by name)', () => {
    expect(imageCandidates(images, '')).toEqual([
      { value: 'cirros 0.6.2', description: 'aaaa-1' },
      { value: 'ubuntu', description: '2 images share this name' },
      { value: 'aaaa-1', description: 'cirros 0.6.2' },
      { value: 'bbbb-2', description: 'ubuntu' },
      { value: 'cccc-3', description: 'ubuntu' },
      { value: 'dddd-4', description: '(no name: deleted in Glance?)' },
    ]);
  });

  it('filters by the word typed', () => {
    expect(imageCandidates(images, 'cirros ').map((candidate) => candidate.value)).toEqual(['cirros 0.6.2']);
    expect(imageCandidates(images, 'd').map((candidate) => candidate.value)).toEqual(['dddd-4']);
  });
});

describe('formatCandidates', () => {
  it('writes one value<TAB>description line per candidate', () => {
    expect(formatCandidates([{ value: 'a b', description: 'one' }, { value: '$(x)', description: '' }])).toBe('a b\tone\n$(x)\t\n');
  });

  it('leaves out values that hold control characters and escapes them in descriptions', () => {
    const text = formatCandidates([
      { value: 'evil\nrm -rf', description: 'x' },
      { value: 'tab\there', description: 'x' },
      { value: 'esc\u001b[31m', description: 'x' },
      { value: 'ok', description: 'red\u001b[31m\ttab\nnewline' },
    ]);
    expect(text).toBe('ok\tred\\x1b[31m\\x09tab\\x0anewline\n');
  });

  it('always gives exactly one line, with one tab, per value kept', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ value: fc.string(), description: fc.string() })), (candidates) => {
        const lines = formatCandidates(candidates).split('\n').slice(0, -1);
        const kept = candidates.filter((candidate) => candidate.value !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(candidate.value));
        expect(lines).toHaveLength(kept.length);
        lines.forEach((line, index) => {
          expect(line.split('\t')).toHaveLength(2);
          expect(line.split('\t')[0]).toBe(kept[index]!.value);
        });
      }),
    );
  });
});
