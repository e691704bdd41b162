/**
 * The README and docs/ are written by hand: every link between them must land on a file and a heading that
 * exist, and the cron and systemd examples must be the ones the man page is generated from.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROGRAM } from '../../../src/cli/tree.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Prose only: links and headings inside fenced blocks or code spans are not links or headings. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, (span) => (span.includes('](') ? '' : span));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/.test(target));
}

describe('README and docs/', () => {
  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const broken: string[] = [];
    for (const target of links(read(page))) {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : relative(root, join(root, dirname(page), path));
      if (!existsSync(join(root, file))) broken.push(`${target}: no file ${file}`);
      else if (anchor !== undefined && !anchors(read(file)).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${file}`);
    }
    expect(broken).toEqual([]);
  });

  it('show the crontab line and the systemd units the man page shows, as the command tree has them', () => {
    const examples = PROGRAM.commands.find((command) => command.name === 'prune')!.examples;
    const cron = read('docs/cron.md');
    const units = examples.filter((example) => example.file !== undefined);
    expect(units.map((unit) => unit.file)).toEqual(['/etc/systemd/system/glance-cache-prune.service', '/etc/systemd/system/glance-cache-prune.timer']);
    for (const unit of units) expect(cron).toContain('```ini\n# ' + unit.file + '\n' + unit.command + '```\n');
    const crontab = examples.find((example) => example.cron !== undefined)!;
    for (const page of ['README.md', 'docs/cron.md']) expect(read(page)).toContain('```crontab\n' + crontab.cron + '  ' + crontab.command + '\n```\n');
  });
});
