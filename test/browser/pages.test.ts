// End to end in a real browser (Debian's Chromium, headless, through playwright-core): the HTML
// report opened from the file system (verdict table, a counterexample page with its lane diagram
// and highlighted cycle, no network), and the explorer served in-process on port 0 (step three
// actions, reload the URL, arrive at the same state; jump to a discovery; Ctrl-C stops it).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program';
import { daxmc, tempDir } from '../cli/helpers';
import { browserMissing, launchChromium, type Browser } from './chromium';

interface LaneFacts {
  lanes: string[];
  problemLanes: string[];
  groups: string[];
  steps: number;
  problemBars: string[];
  cycle: string[];
  staleCells: number;
  cycleDrawn: boolean;
}

/**
 * Lane names, classes and the problem markers of the lane diagram on the page. Runs in the page
 * (a string, since the tests compile without the DOM library).
 */
async function laneFacts(page: Page): Promise<LaneFacts> {
  return (await page.evaluate(`(() => {
    const svg = document.querySelector('svg.daxmc-lanes');
    const attr = (sel, a) => [...svg.querySelectorAll(sel)].map((e) => e.getAttribute(a));
    return {
      lanes: attr('g.lane', 'data-lane'),
      problemLanes: attr('g.lane.problem', 'data-lane'),
      groups: attr('g.group', 'data-process'),
      steps: svg.querySelectorAll('g.step').length,
      problemBars: attr('g.bar.problem', 'data-lock'),
      cycle: [...svg.querySelectorAll('g.arrow.cycle')].map((a) => a.getAttribute('data-from') + '->' + a.getAttribute('data-to') + ': ' + a.querySelector('title').textContent),
      staleCells: svg.querySelectorAll('g.page-cell.stale').length,
      // The red arrow is really drawn: its path has a size on the page.
      cycleDrawn: [...svg.querySelectorAll('g.arrow.cycle path')].every((p) => {
        const r = p.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      }),
    };
  })()`)) as LaneFacts;
}

describe.skipIf(browserMissing)('in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the HTML report: the verdict table, a counterexample page with its lane diagram and cycle, from the file system', async () => {
    const dir = tempDir('daxmc-html-');
    const r = await daxmc(['report', '--claim', 'v4.2/B4', '--claim', 'v4.2/B2', '--no-verdicts', '--html', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['claim-v4.2-B2.html', 'claim-v4.2-B4.html', 'index.html']);

    const page = await browser.context.newPage();
    const requests: string[] = [];
    page.on('request', (req) => void requests.push(req.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => void errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    expect(await page.title()).toBe('daxmc verdicts');
    const rows = await page.$$eval('tr[data-claim]', (trs) => trs.map((tr) => [tr.getAttribute('data-claim'), tr.querySelector('.status')?.textContent]));
    expect(rows).toEqual([
      ['v4.2/B2', 'agrees'],
      ['v4.2/B4', 'agrees'],
    ]);

    // Follow the counterexample link of B4 (the checker's outcome).
    await page.click('tr[data-claim="v4.2/B4"] td.outcome a');
    await page.waitForURL(/claim-v4\.2-B4\.html$/);
    expect(await page.textContent('h1')).toBe('v4.2/B4: deadlock');
    expect(await laneFacts(page)).toEqual({
      lanes: ['T1'],
      problemLanes: ['T1'],
      groups: ['P1'],
      // 22 steps, two runs of quiet ones collapsed (1-5, 11-15).
      steps: 14,
      problemBars: ['i_mmap_rwsem'],
      cycle: ['T1->T1: T1 waits for i_mmap_rwsem (write), which it holds itself'],
      staleCells: 0,
      cycleDrawn: true,
    });
    const commands = await page.$$eval('pre.cmd', (ps) => ps.map((p) => p.textContent));
    expect(commands[0]).toMatch(/^daxmc check v4\.2\/pmd --config b4-zero-then-write --path 0\/[0-9/]+ --property deadlock$/);
    expect(commands[1]).toBe('daxmc replay traces/dax/v4.2/B4.itf.json');
    expect(await page.$$eval('.lock-order svg g.edge.cycle', (es) => es.map((e) => e.getAttribute('data-from')))).toEqual(['i_mmap_rwsem']);

    // A step box links to its state, which the page then marks as the target.
    await page.click('svg.daxmc-lanes g.step[data-step="6"]');
    expect(new URL(page.url()).hash).toBe('#state-6');
    expect(await page.$eval('#state-6', (e) => e.matches(':target') && e.querySelector('.var.changed')?.textContent)).toBe('*T1 = at __dax_pmd_fault: check_extent');
    expect(await page.$$eval('#state-6 .var.changed', (vs) => vs.map((v) => v.textContent))).toEqual(['*T1 = at __dax_pmd_fault: check_extent', '*T1 holds = i_mmap_rwsem (read)']);

    // B2: two processes, two lanes, the stale hole page in the final state.
    await page.goto(pathToFileURL(join(dir, 'claim-v4.2-B2.html')).href);
    const b2 = await laneFacts(page);
    expect(b2).toMatchObject({ lanes: ['T1', 'T2'], groups: ['P1', 'P2'], steps: 21, staleCells: 1, cycle: [] });

    // Everything came from the files themselves.
    expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the explorer: step three actions, reload the URL, arrive at the same state; jump to a discovery; Ctrl-C stops it', async () => {
    const controller = new AbortController();
    let out = '';
    let resolveUrl: (u: string) => void = () => {};
    const url = new Promise<string>((resolve) => (resolveUrl = resolve));
    const served = runCli(['explore', 'v4.2', '--config', 'b2-read-vs-write', '--port', '0'], {
      cwd: process.cwd(),
      signal: controller.signal,
      io: {
        out: (s) => {
          out += s;
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) resolveUrl(m[0]);
        },
        err: () => {},
        isTTY: false,
      },
    });
    const base = await url;
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => void errors.push(e.message));
      await page.goto(base);
      await page.waitForSelector('body[data-path="0"]');
      expect(new URL(page.url()).hash).toBe('#/path/0');
      expect(await page.$$eval('section.actor', (ss) => ss.map((s) => s.getAttribute('data-actor')))).toEqual(['T1', 'T2']);

      // Step three times: T1's first action, then T2's, then T1's again.
      const picks = ['T1', 'T2', 'T1'];
      for (const actor of picks) {
        const button = page.locator(`section.actor[data-actor="${actor}"] button.action`).first();
        const target = await button.getAttribute('data-path');
        await button.click();
        await page.waitForSelector(`body[data-path="${target}"]`);
      }
      const path = (await page.getAttribute('body', 'data-path'))!;
      expect(path.split('/')).toHaveLength(4);
      expect(new URL(page.url()).hash).toBe(`#/path/${path}`);
      const before = await page.$$eval('#vars .var', (vs) => vs.map((v) => v.textContent));
      const stepsBefore = await page.$$eval('#steps li', (ls) => ls.map((l) => l.textContent));
      expect(stepsBefore).toHaveLength(4);

      // Reload the shared URL: the same position, the same state.
      await page.reload();
      await page.waitForSelector(`body[data-path="${path}"]`);
      expect(await page.$$eval('#vars .var', (vs) => vs.map((v) => v.textContent))).toEqual(before);
      expect(await page.$$eval('#steps li', (ls) => ls.map((l) => l.textContent))).toEqual(stepsBefore);
      expect(await page.textContent('#state-index')).toBe('State 3');

      // Going back undoes one step.
      await page.click('#back');
      await page.waitForSelector(`body[data-path="${path.split('/').slice(0, -1).join('/')}"]`);

      // The background check lists its discoveries; one click jumps to the violation.
      const link = page.locator('#discoveries li.invariant a').first();
      await link.waitFor({ timeout: 20_000 });
      const found = (await link.getAttribute('data-path'))!;
      await link.click();
      await page.waitForSelector(`body[data-path="${found}"]`);
      expect(await page.textContent('#diagnosis')).toContain('violated: no stale hole page');
      await page.waitForSelector('#lanes svg.daxmc-lanes g.page-cell.stale');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      controller.abort();
    }
    expect(await served).toBe(0);
    // The server is closed: nothing answers on its port any more.
    await expect(fetch(`${base}.status`)).rejects.toThrow();
  });
});

describe('the browser tests run where CI expects them', () => {
  it('Chromium is installed in CI', () => {
    if (process.env.CI === 'true') expect(existsSync('/usr/bin/chromium')).toBe(true);
  });
});
