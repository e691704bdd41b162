/**
 * Inventory text to plain data, without the line of each field: for shell completion, which shows no
 * errors and must answer a TAB in about the time Node takes to start (docs/architecture.md, "Start-up"). The yaml library
 * that parse.ts uses to know every field's line costs ~25 ms to load and parse a 200-node inventory;
 * js-yaml takes a few. Same reading: the YAML 1.2 core schema plus "<<" merge keys. Anything js-yaml
 * refuses goes back to parse.ts, so what is and is not an inventory stays decided in one place.
 */
import { CORE_SCHEMA, load, Type } from 'js-yaml';

// js-yaml's own merge type, declared here because its typings do not export `types`.
const MERGE = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
const INVENTORY_SCHEMA = CORE_SCHEMA.extend({ implicit: [MERGE] });

/** The document as data (under `key` when given, as in package.json); throws on anything but plain YAML. */
export function readPlainInventoryText(text: string, key?: string): unknown {
  const whole = load(text, { schema: INVENTORY_SCHEMA });
  return key === undefined ? whole : (whole as Record<string, unknown> | null | undefined)?.[key];
}
