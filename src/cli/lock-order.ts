// `daxmc check --lock-order`: a lock-order cycle, or an acquisition against a lock order the
// spec documents, fails the run (exit 12) as lockdep would report it, even where the bounded
// search reached no deadlock state. Without the flag they stay warnings of the 'lock order'
// analysis. A pure function from a check's result to the result the CLI renders: the verdict,
// the failure and the exit code all follow from it. Nothing here prints.
import type { CheckResult, Discovery } from '../check/result';
import { UsageError } from '../core/errors';
import { lockOrderData } from '../render/svg-lock-order';

/** The failure's property name in results (JSON `failure.property`, the discoveries). */
export const LOCK_ORDER_PROPERTY = 'lock order';

/**
 * `result` with its lock-order findings made failures: their severity `error`, a discovery of
 * kind 'lock-order' (its path: the example path of the acquisition that closes the first cycle,
 * the one lockdep reports, or of the first acquisition against a documented order) added to the
 * discoveries, and, when the run passed or stopped at a limit, the verdict 'fail' with that
 * discovery as its failure (a limit stays recorded: what was explored has the cycle). A deadlock
 * or a violation keeps its place as the failure. An 'error' run is returned as it is.
 */
export function lockOrderVerdict(result: CheckResult, specId: string): CheckResult {
  if (result.verdict === 'error') return result;
  const data = lockOrderData(result.analyses);
  if (!data) throw new UsageError(`--lock-order: spec ${specId} has no lock-order analysis (only specs built with the kernel vocabulary have one)`);
  const inversions = data.inversions ?? [];
  if (data.cycles.length === 0 && inversions.length === 0) return result;
  const cycle = data.cycles[0];
  const edge = data.edges[cycle ? cycle[cycle.length - 1] : inversions[0].edge];
  // Impossible: the analysis gives an example path to every edge a finding cites.
  if (!edge.path) throw new Error(`the lock-order edge ${edge.from} -> ${edge.to} has no example path`);
  const found: Discovery = { property: LOCK_ORDER_PROPERTY, kind: 'lock-order', path: { init: edge.path.init, actions: [...edge.path.actions] } };
  const analyses = result.analyses.map((a) => (a.name === 'lock order' ? { ...a, findings: a.findings.map((f) => ({ ...f, severity: 'error' as const })) } : a));
  const failed = result.verdict === 'fail' && result.failure ? { failure: result.failure } : { failure: found };
  return { ...result, verdict: 'fail', ...failed, discoveries: [...result.discoveries, found], analyses };
}
