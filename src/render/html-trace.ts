// A trace as HTML: the states step by step, each with its step's notes and every variable, the
// changed ones marked (and, inside a changed record, the changed fields highlighted), with a
// CSS-only switch to show only what changed. Each state has an anchor (#state-k) the lane
// diagram links to. A pure function of the trace.
import { is, isKeyed } from 'immutable';
import { formatLabel } from '../core/spec';
import type { Trace, TraceStep } from '../trace/trace';
import { html } from './html-page';
import { lassoPhrase } from './format';
import { loopBackHtml, loopClasses, loopMark, loopShows } from './html-loop';
import { formatKey, formatValue } from './value';

/** A value, with the fields that differ from `before` (one level into records) marked. */
function valueHtml(v: unknown, before: unknown): string {
  if (isKeyed(v) && isKeyed(before)) {
    const parts: string[] = [];
    v.forEach((x, k) => {
      const entry = html(`${formatKey(k)} |-> ${formatValue(x)}`);
      parts.push(is(x, before.get(k)) ? entry : `<mark>${entry}</mark>`);
    });
    return `[${parts.join(', ')}]`;
  }
  return html(formatValue(v));
}

function stepTitle(step: TraceStep, trace: Trace): string {
  if (step.label === null) return `initial state${trace.path.init === 0 ? '' : ` #${trace.path.init}`}`;
  return formatLabel(step.label);
}

/** The outcome sentence of a trace's last state. */
export function traceOutcome(trace: Trace): string {
  const last = trace.steps[trace.steps.length - 1].index;
  switch (trace.kind) {
    case 'invariant':
      return `Invariant "${trace.property ?? '?'}" is violated in state ${last}.`;
    case 'deadlock':
      return trace.diagnosis
        ? `Deadlock in state ${last} (${trace.diagnosis.kind}): ${trace.diagnosis.summary}`
        : `Deadlock in state ${last}: no action is enabled and not every thread has finished.`;
    case 'witness':
      return `"${trace.property ?? '?'}" is witnessed in state ${last}.`;
    case 'liveness':
      return `Liveness property "${trace.property ?? '?'}" is violated: ${lassoPhrase(trace.path)}${trace.diagnosis ? ` (${trace.diagnosis.kind}): ${trace.diagnosis.summary}` : '.'}`;
    case undefined:
      return `The path ends in state ${last}.`;
  }
}

export function traceStatesHtml(trace: Trace): string {
  const out: string[] = [
    '<input type="checkbox" id="only-changed"> <label class="toggle" for="only-changed">show only the variables that changed</label>',
    '<div class="states">',
  ];
  const failing = trace.kind === 'invariant' || trace.kind === 'deadlock';
  trace.steps.forEach((step, i) => {
    if (!loopShows(trace, i)) return;
    const prev = i > 0 ? trace.steps[i - 1] : undefined;
    const changed = new Set(step.changed);
    const cls = ['state', ...(i === 0 ? ['first'] : []), ...(i === trace.steps.length - 1 ? ['last'] : []), ...(i === trace.steps.length - 1 && failing ? ['failing'] : []), ...loopClasses(trace, i)];
    out.push(`<section class="${cls.join(' ')}" id="state-${step.index}">`);
    out.push(`<h3><span class="idx">State ${step.index}</span>${html(stepTitle(step, trace))}${loopMark(trace, i)}</h3>`);
    const notes = step.notes.filter((n) => n.kind !== 'call');
    if (notes.length > 0) {
      out.push(`<ul class="notes">${notes.map((n) => `<li class="${html(n.kind)}">${html(n.kind)}: ${html(n.text)}</li>`).join('')}</ul>`);
    }
    out.push('<div class="vars">');
    step.value.forEach((v, name) => {
      const c = changed.has(name);
      const shown = c && prev ? valueHtml(v, prev.value.get(name)) : html(formatValue(v));
      out.push(`<div class="var${c ? ' changed' : ''}"><span class="mark">${c ? '*' : ''}</span>/\\ ${html(name)} = ${shown}</div>`);
    });
    if (i > 0 && changed.size === 0) out.push('<div class="var changed"><span class="mark"></span>(no variable changed)</div>');
    out.push('</div></section>');
  });
  const back = loopBackHtml(trace);
  if (back !== '') out.push(back);
  out.push('</div>');
  return out.join('\n');
}
