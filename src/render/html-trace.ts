// A trace as HTML: the states step by step, each with its step's notes and its facts in the
// spec's words (or, for a spec without them, every variable, inside a changed record the changed
// fields highlighted), the changed ones marked, with CSS-only switches to show only what changed
// and to show ghost variables. The step that caused a violation is tagged. Each state has an
// anchor (#state-k) the lane diagram links to. A pure function of the trace.
import { is, isKeyed } from 'immutable';
import { formatLabel } from '../core/spec';
import type { Trace, TraceStep } from '../trace/trace';
import { html } from './html-page';
import { lassoPhrase, stepRole } from './format';
import { loopBackHtml, loopClasses, loopMark, loopShows } from './html-loop';
import { formatKey, formatValue } from './value';
import { GONE, diffWords, fieldLabel } from './words';

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
      return `Invariant "${trace.property ?? '?'}" is violated in state ${last}${trace.cause !== undefined && trace.cause !== last ? `, caused by step ${trace.cause}` : ''}.`;
    case 'deadlock':
      return trace.diagnosis
        ? `${trace.diagnosis.kind.charAt(0).toUpperCase()}${trace.diagnosis.kind.slice(1)} in state ${last}: ${trace.diagnosis.summary}`
        : `Deadlock in state ${last}: no action is enabled and not every thread has finished.`;
    case 'witness':
      return `"${trace.property ?? '?'}" is witnessed in state ${last}.`;
    case 'liveness':
      return `Liveness property "${trace.property ?? '?'}" is violated: ${lassoPhrase(trace.path)}${trace.diagnosis ? ` (${trace.diagnosis.kind}): ${trace.diagnosis.summary}` : '.'}`;
    case undefined:
      return `The path ends in state ${last}.`;
  }
}

/** A state's facts in the spec's words: each a line, changed ones marked (hover: the old value). */
function wordsHtml(step: TraceStep, prev: TraceStep | undefined): string[] {
  const out: string[] = [];
  const d = diffWords(step.words!, prev?.words);
  for (const f of d.fields) {
    const cls = ['var', ...(f.changed && prev ? ['changed'] : []), ...(f.ghost ? ['ghost'] : [])].join(' ');
    const tip = f.before !== undefined ? `was: ${f.before}` : f.detail;
    out.push(`<div class="${cls}"${tip ? ` title="${html(tip)}"` : ''}><span class="mark">${f.changed && prev ? '*' : ''}</span>${html(fieldLabel(f))} = ${html(f.text)}</div>`);
  }
  for (const f of d.gone) out.push(`<div class="var changed${f.ghost ? ' ghost' : ''}" title="was: ${html(f.text)}"><span class="mark">*</span>${html(fieldLabel(f))} = ${GONE}</div>`);
  return out;
}

export function traceStatesHtml(trace: Trace): string {
  const hasGhosts = trace.steps.some((s) => s.words?.fields.some((f) => f.ghost));
  const out: string[] = [
    '<input type="checkbox" id="only-changed"> <label class="toggle" for="only-changed">show only what changed</label>',
    ...(hasGhosts ? ['<input type="checkbox" id="show-ghosts"> <label class="toggle" for="show-ghosts">show ghost variables</label>'] : []),
    '<div class="states">',
  ];
  const failing = trace.kind === 'invariant' || trace.kind === 'deadlock';
  trace.steps.forEach((step, i) => {
    if (!loopShows(trace, i)) return;
    const prev = i > 0 ? trace.steps[i - 1] : undefined;
    const changed = new Set(step.changed);
    const cls = ['state', ...(i === 0 ? ['first'] : []), ...(i === trace.steps.length - 1 ? ['last'] : []), ...(i === trace.steps.length - 1 && failing ? ['failing'] : []), ...loopClasses(trace, i)];
    out.push(`<section class="${cls.join(' ')}" id="state-${step.index}">`);
    const role = stepRole(trace, step.index);
    out.push(`<h3><span class="idx">State ${step.index}</span>${html(stepTitle(step, trace))}${role ? ` <span class="role${role === 'cause' ? ' cause' : ''}">${html(role)}</span>` : ''}${loopMark(trace, i)}</h3>`);
    const notes = step.notes.filter((n) => n.kind !== 'call');
    if (notes.length > 0) {
      out.push(`<ul class="notes">${notes.map((n) => `<li class="${html(n.kind)}">${html(n.kind)}: ${html(n.text)}</li>`).join('')}</ul>`);
    }
    out.push('<div class="vars">');
    if (step.words) {
      out.push(...wordsHtml(step, prev));
    } else {
      step.value.forEach((v, name) => {
        const c = changed.has(name);
        const shown = c && prev ? valueHtml(v, prev.value.get(name)) : html(formatValue(v));
        out.push(`<div class="var${c ? ' changed' : ''}"><span class="mark">${c ? '*' : ''}</span>/\\ ${html(name)} = ${shown}</div>`);
      });
      if (i > 0 && changed.size === 0) out.push('<div class="var changed"><span class="mark"></span>(no variable changed)</div>');
    }
    out.push('</div></section>');
  });
  const back = loopBackHtml(trace);
  if (back !== '') out.push(back);
  out.push('</div>');
  return out.join('\n');
}
