// The lasso pieces of the renderers on one DAX starvation (entry-lock v4.7 E1 beside a running
// reader): the HTML states view marks the cycle and closes it with "Back to state k" linking to
// that state, the lane SVG draws the bracket (well-formed), and a stuttering lasso gets the
// self-loop; the claim page of the HTML report carries both.
import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../../specs/index';
import { claims } from '../../specs/dax/claims-liveness';
import { checkClaim } from '../../src/report/run-claims';
import { htmlReportFiles } from '../../src/render/html-report';
import { traceOutcome, traceStatesHtml } from '../../src/render/html-trace';
import { renderLaneSvg } from '../../src/render/svg-lanes';
import { byClass, parseXml } from './svg-wellformed';

async function claimTrace(id: string) {
  const r = await checkClaim(builtinSpecs, claims.find((c) => c.id === id)!);
  return { r, t: r.trace! };
}

describe('lassos in HTML and SVG', () => {
  it('E1 as starvation: the cycle marked, "Back to state 45" linking back, the bracket in the SVG', async () => {
    const { r, t } = await claimTrace('entry-lock/L-E1-starvation');
    const html = traceStatesHtml(t);
    expect(html.match(/<section class="state[^"]*\bcycle\b/g)).toHaveLength(16);
    expect(html).toContain('<section class="state loop-back"><h3><a href="#state-45">Back to state 45</a>: R: reader loop &gt; load &gt; do_read_fault');
    expect(html).not.toContain('id="state-61"');
    expect(traceOutcome(t)).toBe(
      'Liveness property "every fault and syscall returns" is violated: after 45 steps, 16 steps repeated for ever (starvation): T2 sleeps on a wake-up on the wait queue of entry 0 that never comes, while R keeps running',
    );
    const svg = renderLaneSvg(t);
    expect(byClass(parseXml(svg), 'loop', 'cycle')).toHaveLength(1);
    expect(svg).toContain('<g class="loop cycle" data-back-to="45">');
    expect(svg).toContain('back to state 45, for ever');
    const page = htmlReportFiles([r]).find((f) => f.name === 'claim-entry-lock-L-E1-starvation.html')!;
    expect(page.content).toContain('Back to state 45');
    expect(page.content).toContain('class="loop cycle"');
  });

  it('a deadlock seen by liveness stutters: "Stuttering" in HTML, the self-loop in the SVG', async () => {
    const { t } = await claimTrace('dax-sem/L-S2a');
    expect(traceStatesHtml(t)).toContain('<section class="state loop-back"><h3><span class="idx">State 9</span>Stuttering: nothing happens after state 8, for ever</h3></section>');
    const svg = renderLaneSvg(t);
    expect(byClass(parseXml(svg), 'loop', 'stutter')).toHaveLength(1);
    expect(svg).toContain('<g class="loop stutter">');
    expect(svg).toContain('stutters for ever');
  });
});
