/**
 * The command tree: the one source for commander, --help, completion scripts and the man page.
 */
import { OUTPUT_FORMATS } from '../output/render.js';
import { ExitCode } from '../errors.js';
import { AUTH_PRECEDENCE } from '../auth/settings.js';
import { authOptionSpecs } from './auth-options.js';
import type { CommandSpec, OptionGroup, ProgramSpec } from './spec.js';
import { lsSpec } from './commands/ls/spec.js';
import { nodesSpec } from './commands/nodes/spec.js';
import { whereSpec } from './commands/where/spec.js';
import { inventorySpec } from './commands/inventory/spec.js';
import { completionSpec } from './commands/completion/spec.js';
import { diffSpec } from './commands/diff/spec.js';
import { queueSpec } from './commands/queue/spec.js';
import { purgeSpec } from './commands/purge/spec.js';
import { clearSpec } from './commands/clear/spec.js';
import { syncSpec } from './commands/sync/spec.js';
import { pruneSpec } from './commands/prune/spec.js';

const selection: OptionGroup = {
  title: 'Node selection',
  options: [
    { flags: '-i, --inventory <path>', description: 'inventory file (YAML or JSON)', complete: 'files', env: 'GLANCE_CACHE_INVENTORY' },
    { flags: '-n, --nodes <set>', description: 'nodes to act on: names, ranges (glance[01-03]), @group, URLs, globs; comma-separated, repeatable', complete: 'nodes', repeatable: true },
    { flags: '-x, --exclude <set>', description: 'nodes to leave out, same syntax as --nodes; repeatable', complete: 'nodes', repeatable: true },
    { flags: '-a, --all-nodes', description: 'every node of the inventory' },
    { flags: '-l, --label <key=value>', description: 'only nodes with this inventory label, every one given; filters -n, or every node without it; -x still applies', complete: 'labels', repeatable: true },
  ],
};

const output: OptionGroup = {
  title: 'Output',
  options: [
    { flags: '-f, --format <format>', description: 'output format, as in openstackclient', choices: OUTPUT_FORMATS, defaultText: 'table on a terminal; piped, tsv exactly as -f tsv: a header row above any rows, raw bytes, ISO-8601 times' },
    { flags: '-o, --output <format>', description: 'same as -f', choices: OUTPUT_FORMATS },
    { flags: '--json', description: 'same as -f json' },
    { flags: '-c, --column <name>', description: 'show only this column (repeatable; JSON field names)', repeatable: true, complete: 'columns' },
    { flags: '--sort-column <name>', description: 'sort by this column (repeatable; later ones break ties), in every format', repeatable: true, complete: 'columns' },
    { flags: '--sort-ascending', description: 'sort --sort-column smallest first (the default)' },
    { flags: '--sort-descending', description: 'sort --sort-column largest first' },
    { flags: '--max-width <n>', description: 'widest line of a table: names shortened, IDs cut to a unique prefix, columns dropped to fit; 0 for no limit', defaultText: 'the terminal width on a terminal, no limit when piped' },
    { flags: '--fit-width', description: 'fit tables to the terminal width even when piped (80 columns when it is not known)' },
    { flags: '--wide', description: 'tables in full: nothing shortened or dropped (as --max-width 0)' },
    { flags: '--noindent', description: 'JSON on one line' },
    { flags: '--no-headers', description: 'omit the header row' },
    { flags: '--color <when>', description: 'colour output', choices: ['auto', 'always', 'never'], defaultText: 'auto (off under NO_COLOR or when piped)' },
    { flags: '-q, --quiet', description: 'only errors on stderr' },
    { flags: '-v, --verbose', description: 'more detail on stderr' },
    { flags: '--debug', description: 'log every HTTP call (method, URL, status, time) on stderr; secrets redacted' },
  ],
};

const connection: OptionGroup = {
  title: 'Connection',
  options: [
    { flags: '--fanout <n>', description: 'nodes contacted at once', defaultText: '64' },
    { flags: '--timeout <duration>', description: "total time allowed for each node's work and for every other request of the run, name lookups and Keystone too (e.g. 10s); overrides the inventory's default", defaultText: '10s' },
    { flags: '--connect-timeout <duration>', description: 'time allowed to open a connection', defaultText: '5s' },
    { flags: '--cacert <path>', description: "CA bundle to verify the nodes' TLS certificates with (a node's cacert: in the inventory wins)", complete: 'files' },
    { flags: '--insecure', description: "do not verify the nodes' TLS certificates (warns on every run)" },
  ],
};

const authentication: OptionGroup = {
  title: 'Authentication',
  options: authOptionSpecs(),
  topic: 'auth',
  note: AUTH_PRECEDENCE,
};

const commands: CommandSpec[] = [lsSpec, nodesSpec, whereSpec, diffSpec, queueSpec, purgeSpec, clearSpec, syncSpec, pruneSpec, inventorySpec, completionSpec(() => PROGRAM)];

export const PROGRAM: ProgramSpec = {
  name: 'glance-cache',
  summary: 'see and manage the image caches of a whole Glance fleet',
  description:
    'glance-cache reads an inventory of glance-api nodes, talks to each node\'s cache API directly (bypassing the load balancer) and lists, merges and compares the cached and queued images of the whole fleet.',
  globalOptionGroups: [selection, output, connection, authentication],
  commands,
  environment: [
    { name: 'GLANCE_CACHE_INVENTORY', description: 'inventory file, when -i is not given' },
    { name: 'OS_CLOUD, OS_CLIENT_CONFIG_FILE', description: 'clouds.yaml entry and file, as in openstackclient' },
    { name: 'OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, ...', description: 'Keystone credentials, as in openstackclient (see Authentication options)' },
    { name: 'OS_AUTH_TOKEN', description: 'a ready token, used as-is for every node' },
    { name: 'NO_COLOR', description: 'when set, no colour and no spinner or redrawn progress line (--color always overrides it)' },
    { name: 'CLICOLOR, CLICOLOR_FORCE', description: 'CLICOLOR=0 disables colour; CLICOLOR_FORCE=1 forces it' },
  ],
  files: [
    { path: '.glance-cacherc[.yaml|.yml|.json], package.json (its "glance-cache" key)', description: 'inventory, searched from the current directory upwards; data only, used only if owned by you or root and writable by no one else' },
    { path: '~/.config/glance-cache/inventory.yaml', description: 'per-user inventory ($XDG_CONFIG_HOME); also .yml, .json, or .js/.cjs/.mjs, the only place a JavaScript inventory is found without -i' },
    { path: '/etc/glance-cache/inventory.yaml', description: 'system-wide inventory' },
    { path: 'clouds.yaml, secure.yaml', description: 'searched in ., ~/.config/openstack, /etc/openstack' },
    { path: '~/.cache/glance-cache/', description: 'caches ($XDG_CACHE_HOME): node names per inventory and the images the last ls saw (kept 24 hours), for completion; the compiled CLI (code-*.v8), for start-up; all safe to delete' },
  ],
  exitCodes: [
    { code: ExitCode.ok, description: 'success' },
    { code: ExitCode.differences, description: 'diff found differences (diff only)' },
    { code: ExitCode.usage, description: 'usage, inventory or configuration error; nothing was sent' },
    { code: ExitCode.partial, description: 'partial: some nodes failed, or list the same cache records as another node (nothing is sent to those), the others were done' },
    { code: ExitCode.failed, description: 'authentication failed, or every node failed' },
    { code: ExitCode.locked, description: 'another run holds the lock' },
    { code: ExitCode.outputFailed, description: 'the output could not be written (disk full, closed file): the result was lost' },
    { code: ExitCode.internal, description: 'internal error: a bug; please report it with the --debug output' },
    { code: ExitCode.interrupted, description: 'interrupted (Ctrl-C); what completed was printed' },
  ],
  examples: [
    { command: 'glance-cache ls --all-nodes', description: 'every cached and queued image of the fleet' },
    { command: 'glance-cache nodes -a -f json', description: 'per-node health as JSON' },
  ],
};
