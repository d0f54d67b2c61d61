// The cycle of a lasso in the HTML states view: the states that repeat carry a "cycle" mark (a
// red rule on their left, "repeats" in the heading), and the step that closes the cycle is shown
// as TLC prints it, "Back to state k" with its notes, linking to that state; or "Stuttering" after
// the last state. Small pieces html-trace.ts calls (their CSS is in html-page.ts); not the page.
import { formatLabel } from '../core/spec';
import { lassoOf, type Trace } from '../trace/trace';
import { html } from './html-page';

/** Whether the state with this index is shown (a cycle's closing step leads to a state shown already). */
export function loopShows(trace: Trace, index: number): boolean {
  const lasso = lassoOf(trace);
  return !lasso || lasso.stutter || index < trace.steps.length - 1;
}

/** Extra classes of a state's section: 'cycle' for the states that repeat for ever. */
export function loopClasses(trace: Trace, index: number): string[] {
  const lasso = lassoOf(trace);
  if (!lasso) return [];
  return index >= lasso.start ? ['cycle'] : [];
}

/** The heading's mark for a state of the cycle. */
export function loopMark(trace: Trace, index: number): string {
  const lasso = lassoOf(trace);
  if (!lasso || index < lasso.start) return '';
  return `<span class="repeats">${lasso.stutter ? 'stays here for ever' : 'repeats for ever'}</span>`;
}

/** The closing line: "Back to state k: action" with its notes, or "State n+1: Stuttering". */
export function loopBackHtml(trace: Trace): string {
  const lasso = lassoOf(trace);
  if (!lasso) return '';
  const last = trace.steps[trace.steps.length - 1];
  if (lasso.stutter) {
    return `<section class="state loop-back"><h3><span class="idx">State ${last.index + 1}</span>Stuttering: nothing happens after state ${last.index}, for ever</h3></section>`;
  }
  const notes = last.notes.filter((n) => n.kind !== 'call');
  return (
    `<section class="state loop-back"><h3><a href="#state-${lasso.start}">Back to state ${lasso.start}</a>: ${html(last.label ? formatLabel(last.label) : '?')}</h3>` +
    (notes.length > 0 ? `<ul class="notes">${notes.map((n) => `<li class="${html(n.kind)}">${html(n.kind)}: ${html(n.text)}</li>`).join('')}</ul>` : '') +
    '</section>'
  );
}
