/** The --os-* flags as command-tree options; their names and variables live in src/auth/settings.ts. */
import { AUTH_FLAG_SPECS } from '../auth/settings.js';
import type { OptionSpec } from './spec.js';

export function authOptionSpecs(): OptionSpec[] {
  return AUTH_FLAG_SPECS.map((spec) => ({ flags: spec.flag, description: spec.env ? `${spec.description} [$${spec.env}]` : spec.description, env: spec.env }));
}
