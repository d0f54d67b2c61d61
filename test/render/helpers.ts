// Shared helpers for renderer tests: run a built-in definition and assemble the CheckReport the
// CLI would render.
import type { CheckOptions } from '../../src/check/explore';
import type { SpecDefinition } from '../../src/core/spec';
import { checkedProperties, type CheckReport } from '../../src/render/report';
import { run, type RunOutcome } from '../../src/run';

export async function reportOf(
  def: SpecDefinition,
  config?: string,
  check: CheckOptions = {},
): Promise<{ report: CheckReport; outcome: RunOutcome }> {
  const outcome = await run(def, { ...(config !== undefined ? { config } : {}), check });
  const report: CheckReport = {
    spec: def.id,
    config: outcome.config,
    params: outcome.params,
    result: outcome.result,
    checked: checkedProperties(outcome.spec, {
      ...(check.properties ? { properties: check.properties } : {}),
      ...(check.deadlock !== undefined ? { deadlock: check.deadlock } : {}),
    }),
    ...(outcome.trace ? { trace: outcome.trace } : {}),
  };
  return { report, outcome };
}
