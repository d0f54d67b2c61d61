// A trace as a Graphviz digraph of its path: one node per state, labelled with its index and the
// facts (the spec's words, or its variables) that changed (all of them for state 0), one edge per
// step labelled `actor: action`, and the last node highlighted: red for a violation or deadlock
// (the step that caused a violation outlined in red too), dark green for a witness.
// A pure function of the trace.
import { match } from 'ts-pattern';
import { formatLabel } from '../core/spec';
import type { StateGraph } from '../trace/state-graph';
import { lassoOf, type Trace } from '../trace/trace';
import { traceHeadline } from './format';
import { formatValue } from './value';
import { GONE, diffWords, fieldLabel } from './words';

/** Escapes text for a double-quoted dot string; lines end with \l (left-justified). */
export function dotText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\l');
}

export function renderDot(trace: Trace): string {
  const title = `${trace.spec}, configuration ${trace.config}: ${traceHeadline(trace)}`;
  const out: string[] = [
    `digraph "${dotText(`${trace.spec} ${trace.config}`)}" {`,
    `  label="${dotText(title)}";`,
    '  labelloc=t;',
    '  node [shape=box, fontname="monospace"];',
    '  edge [fontname="monospace"];',
  ];
  const loopAt = lassoOf(trace);
  // A cycle's last state is its first again: drawn once, where the cycle starts.
  const lastIndex = loopAt && !loopAt.stutter ? loopAt.start : trace.steps[trace.steps.length - 1].index;
  const drawn = loopAt && !loopAt.stutter ? trace.steps.slice(0, -1) : trace.steps;
  const highlight =
    trace.kind === undefined
      ? ''
      : match(trace.kind)
          .with('invariant', 'deadlock', 'liveness', () => ', color=red, fontcolor=red, penwidth=2')
          .with('witness', () => ', color=darkgreen, fontcolor=darkgreen, penwidth=2')
          .exhaustive();
  drawn.forEach((step, i) => {
    let lines: string[];
    if (step.words) {
      // The spec's words: every fact of state 0, then the facts that changed.
      const d = diffWords(step.words, i > 0 ? trace.steps[i - 1].words : undefined);
      const shown = d.fields.filter((f) => i === 0 || f.changed);
      lines = [`State ${step.index}`, ...shown.map((f) => `${fieldLabel(f)} = ${f.text}`), ...d.gone.map((f) => `${fieldLabel(f)} = ${GONE}`)];
      if (i > 0 && lines.length === 1) lines.push('(nothing changed)');
    } else {
      const names = step.index === 0 ? step.value.keySeq().toArray() : step.changed;
      lines = [`State ${step.index}`, ...names.map((n) => `${n} = ${formatValue(step.value.get(n))}`)];
      if (step.index > 0 && names.length === 0) lines.push('(no variable changed)');
    }
    const label = `${lines.map(dotText).join('\\l')}\\l`;
    out.push(`  s${step.index} [label="${label}"${step.index === lastIndex ? highlight : step.index === trace.cause ? ', color=red, penwidth=2' : ''}];`);
  });
  const lasso = lassoOf(trace);
  const closing = lasso && !lasso.stutter ? trace.steps[trace.steps.length - 1] : undefined;
  for (const step of trace.steps) {
    if (step.label === null || step === closing) continue;
    out.push(`  s${step.index - 1} -> s${step.index} [label="${dotText(formatLabel(step.label))}"];`);
  }
  out.push(...dotLoop(trace));
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** How the state-graph drawing names things (the CLI supplies them from the spec). */
export interface StateGraphLabels {
  readonly title: string;
  /** A state's lines: the spec's facts, or its variables. */
  readonly nodeLines: (state: Uint8Array) => readonly string[];
  /** A transition's label: `T1: get_block`. */
  readonly edgeLabel: (action: number) => string;
}

/**
 * A whole state graph as Graphviz dot (TLC's `-dump dot`): one node per state, labelled with its
 * number and lines, initial states bold, states that violate a property red, deadlocks red and
 * dashed, finished states green; one edge per transition with its label.
 */
export function renderStateGraphDot(g: StateGraph, labels: StateGraphLabels): string {
  const out: string[] = [
    `digraph "${dotText(labels.title)}" {`,
    `  label="${dotText(`${labels.title}: ${g.nodes.length} state${g.nodes.length === 1 ? '' : 's'}, ${g.edges.length} transition${g.edges.length === 1 ? '' : 's'}`)}";`,
    '  labelloc=t;',
    '  node [shape=box, fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=9];',
  ];
  for (const n of g.nodes) {
    const lines = [`State ${n.id}${n.initial ? ' (initial)' : ''}`, ...labels.nodeLines(n.state)];
    if (n.violated.length > 0) lines.push(...n.violated.map((p) => `violates: ${p}`));
    if (n.deadlock) lines.push('deadlock');
    const styles = [...(n.initial ? ['bold'] : []), ...(n.deadlock && n.violated.length === 0 ? ['dashed'] : [])];
    const colour = n.violated.length > 0 || n.deadlock ? ', color=red, fontcolor=red, penwidth=2' : n.terminal ? ', color=darkgreen' : '';
    out.push(`  s${n.id} [label="${lines.map(dotText).join('\\l')}\\l"${styles.length ? `, style="${styles.join(',')}"` : ''}${colour}];`);
  }
  for (const e of g.edges) out.push(`  s${e.from} -> s${e.to} [label="${dotText(labels.edgeLabel(e.action))}"];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}

/**
 * A lasso's cycle in dot: the closing step drawn as a red back edge to the state the cycle
 * starts at (the state it reaches is that one again, so it gets no node of its own), or a red
 * self-loop "stutters for ever" on the last state.
 */
export function dotLoop(trace: Trace): string[] {
  const lasso = lassoOf(trace);
  if (!lasso) return [];
  const last = trace.steps[trace.steps.length - 1];
  if (lasso.stutter) return [`  s${last.index} -> s${last.index} [label="stutters for ever", color=red, fontcolor=red, style=dashed];`];
  const from = last.index - 1;
  const label = `${last.label ? formatLabel(last.label) : '?'} (back to state ${lasso.start}; repeats for ever)`;
  return [`  s${from} -> s${lasso.start} [label="${dotText(label)}", color=red, fontcolor=red, penwidth=2, constraint=false];`];
}
