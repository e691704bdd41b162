/** How per-node results become the run's exit code (docs/architecture.md, "Contract"). */
import { ExitCode, type ExitCodeValue } from '../errors.js';

export function exitCodeFor(counts: { ok: number; failed: number; interrupted: boolean }): ExitCodeValue {
  if (counts.interrupted) return ExitCode.interrupted;
  if (counts.failed === 0) return ExitCode.ok;
  return counts.ok === 0 ? ExitCode.failed : ExitCode.partial;
}
