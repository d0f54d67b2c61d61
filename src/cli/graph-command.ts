// `daxmc graph <spec>`: the whole state graph of a small configuration as Graphviz dot, as TLC's
// `-dump dot` gives it: every state (labelled with the spec's facts, or its variables), every
// transition, the states that violate a property or deadlock in red. Past --max-states it refuses
// with the reason (exit 5) instead of writing a drawing no one can read. `--out FILE` writes it
// atomically; otherwise it goes to standard output.
import { resolve } from 'node:path';
import type { SpecDefinition } from '../core/spec';
import { renderStateGraphDot } from '../render/dot';
import { formatValue } from '../render/value';
import { fieldLabel } from '../render/words';
import { splitActionName } from '../render/svg-lane-model';
import { buildSpec } from '../run';
import { buildStateGraph } from '../trace/state-graph';
import { resolveProperties } from './check-command';
import { ExitCode } from './exit-codes';
import type { CliContext } from './io';
import { loadSpec } from './load-spec';
import { writeFileAtomic } from './write-files';

/** The largest state graph `daxmc graph` draws unless --max-states says otherwise. */
export const GRAPH_MAX_STATES = 500;

export interface GraphFlags {
  readonly config?: string;
  readonly maxStates?: number;
  readonly property: readonly string[];
  readonly out?: string;
}

export async function graphCommand(specArg: string, flags: GraphFlags, ctx: CliContext, specs: readonly SpecDefinition[]): Promise<number> {
  const loaded = await loadSpec(specArg, ctx.cwd, specs);
  const def = loaded.definition;
  const { spec, name: config } = buildSpec(def, flags.config);
  const properties = flags.property.length > 0 ? resolveProperties(spec, def.id, flags.property) : undefined;
  const bound = flags.maxStates ?? GRAPH_MAX_STATES;
  const built = buildStateGraph(spec, { maxStates: bound, ...(properties ? { properties } : {}) });
  if (built.kind === 'too big') {
    ctx.io.err(
      `daxmc: the state graph of ${def.id}, configuration ${config} has more than ${bound.toLocaleString('en-US')} states: a drawing that big cannot be read, so none was written (pick a smaller configuration, or raise --max-states)\n`,
    );
    return ExitCode.incomplete;
  }
  const { graph } = built;
  const dot = renderStateGraphDot(graph, {
    title: `${def.id}, configuration ${config}`,
    nodeLines: (s) => {
      const words = spec.present?.(s);
      if (words) return words.fields.filter((f) => !f.ghost).map((f) => `${fieldLabel(f)} = ${f.text}`);
      const v = spec.layout.decode(s);
      return v.keySeq().toArray().map((n) => `${n} = ${formatValue(v.get(n))}`);
    },
    edgeLabel: (a) => {
      const act = spec.actions[a];
      const step = splitActionName(act.name).step;
      return act.actor ? `${act.actor}: ${step}` : step;
    },
  });
  const summary = `${graph.nodes.length.toLocaleString('en-US')} states, ${graph.edges.length.toLocaleString('en-US')} transitions; ${graph.nodes.filter((n) => n.violated.length > 0).length} violate a property, ${graph.nodes.filter((n) => n.deadlock).length} deadlock`;
  if (flags.out !== undefined) {
    const path = resolve(ctx.cwd, flags.out);
    await writeFileAtomic(path, dot);
    ctx.io.err(`daxmc: wrote ${flags.out} (${summary})\n`);
  } else {
    ctx.io.out(dot);
    ctx.io.err(`daxmc: ${summary}\n`);
  }
  return ExitCode.pass;
}
