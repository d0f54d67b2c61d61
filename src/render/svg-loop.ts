// The cycle of a lasso in the lane diagram: a red bracket right of the lanes from the first step
// of the cycle to the step that closes it, with an arrow back up to where it starts and the words
// "back to state k, for ever"; or, when the behaviour stutters in its last state, a red self-loop
// beside the final state's row, "stutters for ever". Only this mark; the diagram around it is
// svg-lanes.ts. Pure, escaped, deterministic.
import type { LaneLoop } from './svg-lane-model';
import { el, text } from './svg-xml';

const RED = '#d0182b';

/** How much room the mark takes right of the lanes. */
export const LOOP_WIDTH = 120;

/**
 * Draws the mark at x (the lanes' right edge), given the rows' tops and heights (the final
 * state's row last).
 */
export function loopSvg(loop: LaneLoop, x: number, rowTop: readonly number[], rowH: readonly number[]): string {
  const finalRow = rowTop.length - 1;
  const bx = x + 14;
  if (loop.stutter) {
    const y = rowTop[finalRow] + rowH[finalRow] / 2;
    return el(
      'g',
      { class: 'loop stutter' },
      el('path', { d: `M${bx},${y - 8} C${bx + 26},${y - 22} ${bx + 26},${y + 22} ${bx},${y + 8}`, fill: 'none', stroke: RED, 'stroke-width': 2, 'marker-end': 'url(#lane-arrow-cycle)' }),
      text({ x: bx + 30, y: y + 4, fill: RED, 'font-size': 10, 'font-weight': 'bold' }, loop.label),
    );
  }
  const top = rowTop[loop.fromRow];
  const last = finalRow - 1;
  const bottom = rowTop[last] + rowH[last];
  const mid = (top + bottom) / 2;
  return el(
    'g',
    { class: 'loop cycle', 'data-back-to': loop.backTo },
    el('path', { d: `M${bx},${bottom} h12 V${top} h-12`, fill: 'none', stroke: RED, 'stroke-width': 2, 'marker-end': 'url(#lane-arrow-cycle)' }),
    text({ x: bx + 18, y: mid - 4, fill: RED, 'font-size': 10, 'font-weight': 'bold' }, 'repeats'),
    text({ x: bx + 18, y: mid + 9, fill: RED, 'font-size': 10 }, loop.label),
  );
}
