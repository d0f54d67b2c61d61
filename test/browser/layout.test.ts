// Layout facts, measured in Debian's Chromium (headless, through playwright-core): in lane
// diagrams of one to five lanes no text leaves its box or is cut with an ellipsis, bar labels
// stay off other lanes' boxes, and the legend's swatch of each lock class has exactly the colour
// of that class's bars, the same class for the same colour in every diagram; the HTML report's
// lock-order graph enlarges to the window; the explorer at 800 px shows every panel whole, a
// panel per thread, ghost variables only on request, and says why a path does not replay.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExplorer, type Explorer } from '../../src/explore/server';
import { processesFromParams } from '../../src/render/svg-lane-model';
import { renderLaneSvg } from '../../src/render/svg-lanes';
import { run } from '../../src/run';
import { builtinSpecs } from '../../specs/index';
import { daxmc, tempDir } from '../cli/helpers';
import { browserMissing, launchChromium, type Browser } from './chromium';

function def(id: string) {
  const d = builtinSpecs.find((s) => s.id === id);
  if (!d) throw new Error(`no spec ${id}`);
  return d;
}

/** The lane diagram of a counterexample, grouped by process as the CLI draws it. */
async function lanes(id: string, config: string, property: string): Promise<string> {
  const out = await run(def(id), { config, check: { properties: [property], deadlock: property === 'deadlock' } });
  if (!out.trace) throw new Error(`${id} ${config}: no counterexample`);
  const processOf = processesFromParams(out.params);
  return renderLaneSvg(out.trace, processOf ? { processOf } : {});
}

interface SvgFacts {
  lanes: number;
  boxes: number;
  overflowing: string[];
  cut: string[];
  labelsOverBoxes: string[];
  barFill: Record<string, string[]>;
  legendFill: Record<string, string>;
}

/** Measured in the page (a string: the tests compile without the DOM library). */
async function svgFacts(page: Page): Promise<SvgFacts> {
  return (await page.evaluate(`(() => {
    const svg = document.querySelector('svg.daxmc-lanes');
    const rectOf = (e) => e.getBoundingClientRect();
    const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const overflowing = [];
    const cut = [];
    const boxes = [...svg.querySelectorAll('g.step, g.final, g.lane')];
    for (const g of boxes) {
      const frame = g.matches('g.lane') ? g.querySelector('rect') : g.querySelector('rect.box');
      const r = rectOf(frame);
      for (const t of g.querySelectorAll('text')) {
        const words = [...t.childNodes].filter((n) => n.nodeName !== 'title').map((n) => n.textContent).join('');
        if (!inside(rectOf(t), r)) overflowing.push((g.getAttribute('data-step') || g.getAttribute('data-lane')) + ': ' + words);
        if (words.endsWith('\\u2026')) cut.push(words);
      }
    }
    // The page table's names and cells are not cut either.
    for (const t of svg.querySelectorAll('g.pages text')) if (t.textContent.endsWith('\\u2026')) cut.push(t.textContent);
    const labelsOverBoxes = [];
    for (const label of svg.querySelectorAll('g.bar text.bar-label')) {
      const lane = label.parentElement.getAttribute('data-lane');
      for (const g of svg.querySelectorAll('g.step, g.final')) {
        if (g.getAttribute('data-lane') !== lane && meets(rectOf(label), rectOf(g.querySelector('rect.box')))) labelsOverBoxes.push(label.textContent + ' over ' + g.getAttribute('data-lane'));
      }
    }
    const barFill = {};
    for (const b of svg.querySelectorAll('g.bar')) {
      const cls = b.getAttribute('data-lock-class');
      const fill = getComputedStyle(b.querySelector('rect.bar-fill')).fill;
      barFill[cls] = [...new Set([...(barFill[cls] || []), fill])];
    }
    const legendFill = {};
    for (const l of svg.querySelectorAll('g.legend-item.lock')) legendFill[l.getAttribute('data-lock-class')] = getComputedStyle(l.querySelector('rect.swatch')).fill;
    return { lanes: svg.querySelectorAll('g.lane').length, boxes: svg.querySelectorAll('g.step').length, overflowing, cut, labelsOverBoxes, barFill, legendFill };
  })()`)) as SvgFacts;
}

describe.skipIf(browserMissing)('layout in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ width: 1400, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lane diagrams of 1 to 5 lanes: no text leaves its box or is cut; legend colours are the bar colours, one per class everywhere', async () => {
    const cases: [string, string, string, number][] = [
      ['v4.2/pmd', 'b4-zero-then-write', 'deadlock', 1],
      ['v4.2', 'b2-read-vs-write', 'no stale hole page', 2],
      ['dax-sem', 'fault-vs-write', 'no store is lost', 2],
      ['i-mmap/all', 'r4-abba', 'deadlock', 2],
      ['entry-lock/v4.7', 'three-reads', 'deadlock', 3],
      ['entry-lock/v4.7', 'mix-5t2i', 'deadlock', 5],
    ];
    const colourOf = new Map<string, string>();
    const page = await browser.context.newPage();
    for (const [id, config, property, lanesWanted] of cases) {
      const svg = await lanes(id, config, property);
      await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*\?>/, '')}</body></html>`);
      const f = await svgFacts(page);
      const what = `${id} ${config}`;
      expect(f.lanes, what).toBe(lanesWanted);
      expect(f.boxes, what).toBeGreaterThan(0);
      expect(f.overflowing, what).toEqual([]);
      expect(f.cut, what).toEqual([]);
      expect(f.labelsOverBoxes, what).toEqual([]);
      // Each lock class: one colour on its bars, the same on its legend swatch, and in every diagram.
      expect(Object.keys(f.legendFill).sort(), what).toEqual(Object.keys(f.barFill).sort());
      for (const [cls, fills] of Object.entries(f.barFill)) {
        expect(fills, `${what}: ${cls}`).toEqual([f.legendFill[cls]]);
        expect(colourOf.get(cls) ?? fills[0], `${cls} in ${what}`).toBe(fills[0]);
        colourOf.set(cls, fills[0]);
      }
    }
    // The classes met above, and one colour each.
    expect([...colourOf.keys()].sort()).toEqual(['dax_sem', 'entry lock', 'i_data_sem', 'i_mmap_rwsem', 'i_mutex', 'page lock', 'sb_writers[PAGEFAULT]', 'sb_writers[WRITE]', 'truncate_mutex']);
    expect(new Set(colourOf.values()).size).toBe(colourOf.size);
    await page.close();
  });

  it('the HTML report: the lock-order graph is full width and enlarges to the window', async () => {
    const dir = tempDir('daxmc-html-');
    const r = await daxmc(['report', '--claim', 'i-mmap/R4', '--html', dir]);
    expect(r.code).toBe(0);
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(join(dir, 'claim-i-mmap-R4.html')).href);
    // The lock-order graph marks each class with the colour its bars have in the lane diagram.
    const colours = (await page.evaluate(`(() => {
      const fill = (e) => getComputedStyle(e).fill;
      const bars = {};
      for (const b of document.querySelectorAll('svg.daxmc-lanes g.bar')) bars[b.getAttribute('data-lock-class')] = fill(b.querySelector('rect.bar-fill'));
      const nodes = {};
      for (const n of document.querySelectorAll('svg.daxmc-lock-order g.node')) nodes[n.getAttribute('data-lock')] = fill(n.querySelector('rect.swatch'));
      return { bars, nodes };
    })()`)) as { bars: Record<string, string>; nodes: Record<string, string> };
    expect(Object.keys(colours.nodes).sort()).toEqual(['i_data_sem', 'i_mmap_rwsem', 'page lock', 'sb_writers[PAGEFAULT]']);
    for (const [cls, colour] of Object.entries(colours.bars)) expect(colours.nodes[cls], cls).toBe(colour);
    const before = await page.$eval('.figure.lock-order svg', (e) => e.getBoundingClientRect().width);
    const main = await page.$eval('main', (e) => e.getBoundingClientRect().width);
    expect(before).toBeGreaterThan(main * 0.5);
    await page.click('label.zoom-link');
    const zoomed = (await page.evaluate(`(() => {
      const e = document.querySelector('.figure.lock-order');
      return { position: getComputedStyle(e).position, width: e.getBoundingClientRect().width, svg: e.querySelector('svg').getBoundingClientRect().width };
    })()`)) as { position: string; width: number; svg: number };
    expect(zoomed.position).toBe('fixed');
    expect(zoomed.width).toBe(1400);
    expect(zoomed.svg).toBeGreaterThan(1300);
    await page.click('label.zoom-close');
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.figure.lock-order')).position`)).toBe('relative');
    await page.close();
  });

  describe('the explorer at 800 px', () => {
    let ex: Explorer;
    let page: Page;
    beforeAll(async () => {
      ex = await startExplorer({ definition: def('v4.2'), config: 'b2-read-vs-write', port: 0 });
      await ex.runCheck();
      page = await browser.context.newPage();
      await page.setViewportSize({ width: 800, height: 900 });
    });
    afterAll(async () => {
      await page?.close();
      await ex?.close();
    });

    it('every panel is whole and nothing scrolls sideways; a panel per thread', async () => {
      const found = ex.status().check.discoveries.find((d) => d.kind === 'invariant')!;
      await page.goto(`${ex.url}#/path/${found.path}`);
      await page.waitForSelector(`body[data-path="${found.path}"]`);
      await page.waitForSelector('#lanes svg.daxmc-lanes');
      const facts = (await page.evaluate(`(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        panels: [...document.querySelectorAll('.panel')].map((p) => { const r = p.getBoundingClientRect(); return [p.id, Math.round(r.left), Math.round(r.right), r.height > 0]; }),
        threads: [...document.querySelectorAll('.thread')].map((t) => t.getAttribute('data-thread') + ': ' + [...t.querySelectorAll('.fact')].map((f) => f.querySelector('.name').textContent).join(', ')),
        t2: [...document.querySelectorAll('.thread[data-thread="T2"] .fact')].map((f) => f.textContent),
        explained: document.querySelector('#diagnosis a.cause-link').textContent,
      }))()`)) as { scrollWidth: number; panels: [string, number, number, boolean][]; threads: string[]; t2: string[]; explained: string };
      expect(facts.scrollWidth).toBeLessThanOrEqual(800);
      expect(facts.panels.map((p) => p[0])).toEqual(['actions-panel', 'path-panel', 'discoveries-panel', 'state-panel', 'lanes-panel']);
      for (const [id, left, right, shown] of facts.panels) {
        expect(shown, id).toBe(true);
        expect(left, id).toBeGreaterThanOrEqual(0);
        expect(right, id).toBeLessThanOrEqual(800);
      }
      expect(facts.threads).toEqual(['T1: at, holds, locals', 'T2: at, holds, locals']);
      expect(facts.t2).toEqual(['atdo_read_fault: do_set_pte', 'holdspage lock of H1', 'localspage = H1, ret = VM_FAULT_LOCKED']);
      expect(facts.explained).toBe('go to step 29, the cause');
    });

    it('ghost variables show only when asked', async () => {
      // After T1's store the index carries the ghost "last user store".
      const witness = ex.status().check.discoveries.find((d) => d.property === 'T1 can return')!;
      await page.goto(`${ex.url}#/path/${witness.path}`);
      await page.waitForSelector(`body[data-path="${witness.path}"]`);
      const ghost = page.locator('.fact.ghost[data-key="index.0.stored"]');
      expect(await ghost.isVisible()).toBe(false);
      await page.check('#show-ghosts');
      expect(await ghost.isVisible()).toBe(true);
      expect(await ghost.textContent()).toBe("last user store (ghost)T1's data");
      await page.uncheck('#show-ghosts');
      expect(await ghost.isVisible()).toBe(false);
    });

    it('a path that does not replay, or an address that is not a path, gets a message and no empty panels', async () => {
      await page.goto(`${ex.url}#/path/0/9999`);
      await page.waitForSelector('body[data-error="true"]');
      const message = await page.textContent('#error');
      expect(message).toMatch(/^This position does not exist\. The path 0\/9999 does not replay: step 1: action 9999 does not exist \(the spec has 115\)\.go to the initial state/);
      expect(message).toContain('go back to the last position shown (');
      expect(await page.textContent('#threads')).toBe('No state: the path in the address does not replay.');
      expect(await page.textContent('#actions')).toBe('No state: the path in the address does not replay.');
      await page.click('#error a');
      await page.waitForSelector('body[data-path="0"]');
      expect(await page.isVisible('#error')).toBe(false);

      await page.goto(`${ex.url}#/path/0/x`);
      await page.waitForSelector('body[data-error="true"]');
      expect(await page.textContent('#error')).toContain('The address #/path/0/x is not a path');
      expect(await page.textContent('#error')).toContain('go back to the last position shown (0)');
    });
  });
});
