import { ACT_COLUMNS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { PRUNE_OPTIONS } from './options.js';

const CRON_COMMAND =
  'OS_CLOUD=glance-cache-prune glance-cache prune --all-nodes --orphans --older-than 30d --max-deletes 200 --yes -q --summary /var/lib/glance-cache/prune.json --metrics-file /var/lib/prometheus/node-exporter/glance_cache_prune.prom >/dev/null';

/** The systemd units the man page and docs/cron.md show, kept here so both say the same (test/unit/generate/docs.test.ts). */
const SYSTEMD_SERVICE = `[Unit]
Description=Prune the image caches of the Glance fleet
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
User=glance-cache
Environment=OS_CLOUD=glance-cache-prune
RuntimeDirectory=glance-cache
StateDirectory=glance-cache
ExecStart=/usr/bin/glance-cache prune --all-nodes --orphans --older-than 30d --max-deletes 200 --yes \\
    --lock /run/glance-cache/prune.lock --summary /var/lib/glance-cache/prune.json \\
    --metrics-file /var/lib/prometheus/node-exporter/glance_cache_prune.prom
# Exit 5: an earlier run (from a shell, say) still holds the lock; the next tick will do the work.
SuccessExitStatus=5
StandardOutput=null
`;

const SYSTEMD_TIMER = `[Unit]
Description=Prune the image caches of the Glance fleet every 30 minutes

[Timer]
OnCalendar=*:0/30
RandomizedDelaySec=2min
Persistent=true

[Install]
WantedBy=timers.target
`;

export const pruneSpec = defineCommand({
  name: 'prune',
  aliases: [],
  summary: 'evict cached images by policy on every selected node: size limit (LRU), age, orphans, replicas',
  description:
    "Replaces glance-cache-pruner on every node, from one place. Each node is pruned to its size limit (--max-size, else its inventory max_size), least recently accessed first in glance-cache-pruner's own order (never-read copies by the time they were cached); --older-than, --orphans and --max-replicas add evictions, and every eviction names its reasons. Images given with --keep or listed under protect: in the inventory are never evicted. With --server-side, nodes offering API v2.18 prune themselves to their own image_cache_max_size (unless they cache a protected image). Prints the plan first and asks on a terminal; without one, --yes is required. For cron: --max-deletes caps the damage, a lock keeps runs from overlapping (exit 5), --summary and --metrics-file leave proof and Prometheus figures; the man page's EXAMPLES have a systemd service and timer pair.",
  args: [],
  options: PRUNE_OPTIONS,
  columns: ACT_COLUMNS,
  examples: [
    { command: 'glance-cache prune --all-nodes --dry-run', description: 'show what pruning every node to its max_size would evict' },
    { command: 'glance-cache prune -a --orphans --max-replicas 3 --keep cirros-0.6.2', description: 'also drop orphans and copies beyond three per image, never cirros, after confirming' },
    { command: CRON_COMMAND, description: 'every 30 minutes, unattended, with an application credential, a summary and metrics', cron: '*/30 * * * *' },
    { file: '/etc/systemd/system/glance-cache-prune.service', description: 'the same with systemd: the service', command: SYSTEMD_SERVICE },
    { file: '/etc/systemd/system/glance-cache-prune.timer', description: 'and its timer (systemctl enable --now glance-cache-prune.timer)', command: SYSTEMD_TIMER },
  ],
  load: () => import('./run.js'),
});
