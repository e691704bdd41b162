// Renders recorded.json as TABLE.md, the readable form of the peer-client contract. Run it after editing
// recorded.json by hand (a recording run rewrites both): node test/contract/peer-clients/render-table.mjs
// A unit test (test/contract/sim.peer-clients.test.ts) fails when TABLE.md is not what this renders.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RECORDED = fileURLToPath(new URL('recorded.json', import.meta.url));
export const TABLE = fileURLToPath(new URL('TABLE.md', import.meta.url));
const SHAPE_WIDTH = 70;
// Oldest release first; any other column after them.
const ORDER = ['real-zed', 'real-epoxy'];
const rank = (name) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);

/** A shape short enough for a cell: long ones (the image schema) end in a hash, spelled out below the table. */
function shapeCell(shape, long) {
  const text = typeof shape === 'string' ? shape : JSON.stringify(shape);
  if (text.length <= SHAPE_WIDTH) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  long.set(hash, shape);
  return `${text.slice(0, SHAPE_WIDTH - 12)}… #${hash}`;
}

function requestCell(request, long) {
  if (!request) return '—';
  return `${request.status} ${request.type || '(none)'} \`${shapeCell(request.shape, long).replace(/\|/g, '\\|')}\``;
}

function outcomeCell(call) {
  if (!call) return '—';
  return call.says ? `**${call.outcome}**: ${call.says}` : `**${call.outcome}**`;
}

/** @param {{ about: string, columns: Record<string, { glance: string, calls: any[] }> }} recorded */
export function renderTable(recorded) {
  const names = Object.keys(recorded.columns).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const columns = names.map((name) => recorded.columns[name].calls);
  const lines = [
    '# Peer-client contract: the recorded table',
    '',
    `Generated from recorded.json by render-table.mjs; do not edit. ${recorded.about}`,
    '',
    ...names.map((name) => `- ${name}: ${recorded.columns[name].glance}`),
    '',
    `| # | call, then each request it made | ${names.join(' | ')} | same |`,
    `|---|---|${names.map(() => '---').join('|')}|---|`,
  ];
  const long = new Map();
  const count = Math.max(...columns.map((calls) => calls.length));
  for (let index = 0; index < count; index += 1) {
    const calls = columns.map((each) => each[index]);
    const label = calls.find(Boolean).call;
    const outcomes = calls.map(outcomeCell);
    lines.push(`| ${index + 1} | \`${label}\` | ${outcomes.join(' | ')} | ${new Set(outcomes).size === 1 ? 'yes' : '**no**'} |`);
    const requests = Math.max(...calls.map((call) => call?.requests.length ?? 0));
    for (let at = 0; at < requests; at += 1) {
      const each = calls.map((call) => call?.requests[at]);
      const cells = each.map((request) => requestCell(request, long));
      const paths = new Set(each.map((request) => (request ? `${request.method} ${request.path}` : '—')));
      const same = paths.size === 1 && new Set(cells).size === 1;
      lines.push(`| ${index + 1}.${at + 1} | ${[...paths].map((path) => `\`${path}\``).join(' / ')} | ${cells.join(' | ')} | ${same ? 'yes' : '**no**'} |`);
    }
  }
  lines.push('', '## Long shapes in full', '');
  for (const [hash, shape] of long) lines.push(`#${hash}:`, '', '```json', JSON.stringify(shape, null, 1), '```', '');
  return `${lines.join('\n')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(TABLE, renderTable(JSON.parse(readFileSync(RECORDED, 'utf8'))));
  process.stdout.write(`wrote ${TABLE}\n`);
}
