// A trace as a Mermaid sequenceDiagram: one participant per actor (thread), in order of first
// appearance, actor-less actions on a `system` lane; each step a self-message `k. action` on its
// actor's lane, the step's notes (lock events) as `Note over` lines, and the verdict or diagnosis
// as a final note over the actors involved. A pure function of the trace.
import { match } from 'ts-pattern';
import { encodePath, lassoOf, type Trace } from '../trace/trace';
import { traceHeadline } from './format';

export interface MermaidOptions {
  /** Note kinds left out (default ['call']: the message label already names the call chain). */
  readonly omitNoteKinds?: readonly string[];
}

/** Lane name of actor-less actions. */
export const SYSTEM_LANE = 'system';

const RESERVED = new Set([
  'end', 'participant', 'actor', 'note', 'loop', 'alt', 'else', 'opt', 'par', 'and', 'rect', 'critical', 'break', 'box',
  'activate', 'deactivate', 'title', 'autonumber', 'over', 'left', 'right', 'of', 'create', 'destroy', 'link', 'links',
  'properties', 'details', 'sequencediagram',
]);

/** Escapes text for a Mermaid message or note: `#` and `;` as entity codes, newlines as <br/>. */
export function mermaidText(s: string): string {
  return s.replace(/[#;]/g, (c) => (c === '#' ? '#35;' : '#59;')).replace(/\r?\n/g, '<br/>');
}

export function renderMermaid(trace: Trace, opts: MermaidOptions = {}): string {
  const omit = new Set(opts.omitNoteKinds ?? ['call']);
  const lanes: string[] = [];
  const laneOf = (actor: string | null): string => actor ?? SYSTEM_LANE;
  for (const step of trace.steps) {
    if (step.label === null) continue;
    const lane = laneOf(step.label.actor);
    if (!lanes.includes(lane)) lanes.push(lane);
  }
  if (lanes.length === 0) lanes.push(SYSTEM_LANE);
  const ids = new Map<string, string>();
  const used = new Set<string>();
  const out: string[] = ['sequenceDiagram'];
  out.push(`  %% daxmc: ${trace.spec}, configuration ${trace.config}; ${traceHeadline(trace)}; path ${encodePath(trace.path)}`);
  lanes.forEach((lane, i) => {
    const plain = /^[A-Za-z][A-Za-z0-9_]*$/.test(lane) && !RESERVED.has(lane.toLowerCase()) && !used.has(lane);
    const id = plain ? lane : `lane${i + 1}`;
    ids.set(lane, id);
    used.add(id);
    out.push(plain ? `  participant ${id}` : `  participant ${id} as ${mermaidText(lane)}`);
  });
  const idOf = (lane: string): string => ids.get(lane) ?? lane;
  const loop = mermaidLoop(trace);
  for (const step of trace.steps) {
    if (step.label === null) continue;
    if (loop && step.index === loop.firstStep) out.push(loop.open);
    const indent = loop && step.index >= loop.firstStep ? '    ' : '  ';
    const id = idOf(laneOf(step.label.actor));
    out.push(`${indent}${id}->>${id}: ${mermaidText(`${step.index}. ${step.label.name}`)}`);
    for (const note of step.notes) {
      if (omit.has(note.kind)) continue;
      out.push(`${indent}Note over ${id}: ${mermaidText(`${note.kind}: ${note.text}`)}`);
    }
  }
  if (loop && loop.firstStep <= trace.path.actions.length) out.push('  end');
  const final = finalNote(trace);
  if (final) {
    const involved = final.lanes.filter((l) => ids.has(l));
    const span = involved.length > 0 ? involved : lanes;
    const sorted = lanes.filter((l) => span.includes(l));
    const over = sorted.length > 1 ? `${idOf(sorted[0])},${idOf(sorted[sorted.length - 1])}` : idOf(sorted[0]);
    out.push(`  Note over ${over}: ${mermaidText(final.text)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * A lasso's cycle as Mermaid's `loop` block around the steps that repeat for ever (from the step
 * after state `loop` to the one that closes the cycle); none for stuttering (the final note says it).
 */
export function mermaidLoop(trace: Trace): { readonly firstStep: number; readonly open: string } | undefined {
  const lasso = lassoOf(trace);
  if (!lasso || lasso.stutter) return undefined;
  return { firstStep: lasso.start + 1, open: `  loop ${mermaidText(`repeats for ever (back to state ${lasso.start})`)}` };
}

function finalNote(trace: Trace): { text: string; lanes: readonly string[] } | undefined {
  if (trace.kind === undefined) return undefined;
  const last = trace.steps[trace.steps.length - 1];
  const lastLane = last.label ? [last.label.actor ?? SYSTEM_LANE] : [];
  return match(trace.kind)
    .with('invariant', () => ({
      text: [`invariant "${trace.property ?? '?'}" violated in state ${last.index}`, ...(trace.explanation ?? [])].join('\n'),
      lanes: lastLane,
    }))
    .with('deadlock', () =>
      trace.diagnosis
        ? { text: `${trace.diagnosis.kind}: ${trace.diagnosis.summary}`, lanes: trace.diagnosis.actors ?? [] }
        : { text: `deadlock in state ${last.index}`, lanes: [] },
    )
    .with('witness', () => ({ text: `"${trace.property ?? '?'}" witnessed in state ${last.index}`, lanes: lastLane }))
    .with('liveness', () => {
      const lasso = lassoOf(trace);
      const head = `liveness "${trace.property ?? '?'}" violated: ${lasso?.stutter ? `nothing happens after state ${last.index}, for ever` : `the loop repeats for ever`}`;
      return trace.diagnosis
        ? { text: `${head}\n${trace.diagnosis.kind}: ${trace.diagnosis.summary}`, lanes: trace.diagnosis.actors ?? [] }
        : { text: head, lanes: [] };
    })
    .exhaustive();
}
