// A trace as a Graphviz digraph of its path: one node per state, labelled with its index and the
// variables that changed (all of them for state 0), one edge per step labelled `actor: action`,
// and the last node highlighted: red for a violation or deadlock, dark green for a witness.
// A pure function of the trace.
import { match } from 'ts-pattern';
import { formatLabel } from '../core/spec';
import { lassoOf, type Trace } from '../trace/trace';
import { traceHeadline } from './format';
import { formatValue } from './value';

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
  for (const step of drawn) {
    const names = step.index === 0 ? step.value.keySeq().toArray() : step.changed;
    const lines = [`State ${step.index}`, ...names.map((n) => `${n} = ${formatValue(step.value.get(n))}`)];
    if (step.index > 0 && names.length === 0) lines.push('(no variable changed)');
    const label = `${lines.map(dotText).join('\\l')}\\l`;
    out.push(`  s${step.index} [label="${label}"${step.index === lastIndex ? highlight : ''}];`);
  }
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
