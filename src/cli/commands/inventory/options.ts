import type { OptionSet, OptionValues } from '../../spec.js';

export const INVENTORY_OPTIONS = {
  check: { flags: '--check', description: 'only validate the inventory (and the selection); print a one-line summary' },
} as const satisfies OptionSet;

export type InventoryOptions = OptionValues<typeof INVENTORY_OPTIONS>;
