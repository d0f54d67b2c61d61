// `daxmc check --lock-order`: a lock-order cycle, or an acquisition against a lock order the
// spec documents, fails the run (exit 12) as lockdep would report it, even where the bounded
// search reached no deadlock state. Without the flag they stay warnings of the 'lock order'
// analysis. Returns data and text; the check command prints.
import type { CheckResult } from '../check/result';
import { UsageError } from '../core/errors';
import { lockdepReports } from '../render/lockdep';
import { cycleText, lockOrderData } from '../render/svg-lock-order';
import { checkPathCommand } from '../render/format';

export interface LockOrderOutcome {
  /** The lock-order view found a cycle or an acquisition against a documented order. */
  readonly failed: boolean;
  /** The verdict line and the lockdep-style reports, when it failed. */
  readonly text: string;
}

export function lockOrderOutcome(result: CheckResult, specId: string, specArg: string, config: string): LockOrderOutcome {
  const data = lockOrderData(result.analyses);
  if (!data) {
    if (result.verdict === 'error') return { failed: false, text: '' };
    throw new UsageError(`--lock-order: spec ${specId} has no lock-order analysis (only specs built with the kernel vocabulary have one)`);
  }
  const inversions = data.inversions ?? [];
  if (data.cycles.length === 0 && inversions.length === 0) return { failed: false, text: '' };
  const what: string[] = [];
  if (data.cycles.length > 0) what.push(`${data.cycles.length} lock-order cycle${data.cycles.length === 1 ? '' : 's'} (${data.cycles.map((c) => cycleText(data, c)).join('; ')})`);
  if (inversions.length > 0) what.push(`${inversions.length} acquisition${inversions.length === 1 ? '' : 's'} against a documented lock order`);
  const head = `FAIL  lock order: ${what.join(' and ')}`;
  const body = lockdepReports(data, (path) => checkPathCommand(specArg, config, path));
  return { failed: true, text: `${head}\n\n${body}\n\n` };
}
