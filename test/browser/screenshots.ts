// `npm run screenshots`: the pictures in README.md and docs/pictures.md, taken in Debian's
// headless Chromium: the HTML report's page of a counterexample (docs/images/report-counterexample.png,
// v4.2 B2 down to the end of its lane diagram) and the explorer at the step that caused that
// counterexample (docs/images/explorer.png). The report is
// generated into a temporary directory; only docs/images/ is written. Not a test (vitest only
// collects *.test.ts); rerun it when the pictures' pages change.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../src/cli/program';
import { repositoryRoot } from '../../src/cli/report-command';
import { startExplorer } from '../../src/explore/server';
import { builtinSpecs } from '../../specs/index';
import { launchChromium } from './chromium';

const REPORT_CLAIM = 'v4.2/B2';
const EXPLORER = { spec: 'v4.2', config: 'b2-read-vs-write', steps: 33 };

async function main(): Promise<void> {
  const images = join(repositoryRoot(), 'docs', 'images');
  mkdirSync(images, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'daxmc-screenshots-'));
  const browser = await launchChromium({ width: 1280, height: 900 });
  try {
    // The report's counterexample page, from the top to the end of the lane diagram.
    const code = await runCli(['report', '--claim', REPORT_CLAIM, '--html', tmp], {
      cwd: process.cwd(),
      io: { out: () => {}, err: (s) => void process.stderr.write(s), isTTY: false },
    });
    if (code !== 0) throw new Error(`daxmc report exited ${code}`);
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(join(tmp, `claim-${REPORT_CLAIM.replace(/\//g, '-')}.html`)).href);
    const bottom = await page.evaluate('Math.ceil(document.querySelector(".figure.lanes").getBoundingClientRect().bottom + window.scrollY)');
    const report = join(images, 'report-counterexample.png');
    await page.screenshot({ path: report, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Number(bottom) + 16 } });
    await page.close();
    process.stderr.write(`wrote ${report}\n`);

    // The explorer, part-way along the check's first violation.
    const def = builtinSpecs.find((d) => d.id === EXPLORER.spec);
    if (!def) throw new Error(`no spec ${EXPLORER.spec}`);
    const ex = await startExplorer({ definition: def, config: EXPLORER.config, port: 0 });
    try {
      await ex.runCheck();
      const found = ex.status().check.discoveries.find((d) => d.kind === 'invariant');
      if (!found) throw new Error('the check found no violation to walk along');
      const path = found.path.split('/').slice(0, EXPLORER.steps + 1).join('/');
      const p = await browser.context.newPage();
      await p.setViewportSize({ width: 1400, height: 1000 });
      await p.goto(`${ex.url}#/path/${path}`);
      await p.waitForSelector(`body[data-path="${path}"]`);
      await p.waitForSelector('#lanes svg.daxmc-lanes');
      await p.waitForSelector('#discoveries li a');
      const explorer = join(images, 'explorer.png');
      const end = await p.evaluate('Math.ceil(document.querySelector("#lanes").getBoundingClientRect().bottom + window.scrollY)');
      await p.screenshot({ path: explorer, fullPage: true, clip: { x: 0, y: 0, width: 1400, height: Math.min(Number(end) + 20, 2400) } });
      await p.close();
      process.stderr.write(`wrote ${explorer}\n`);
    } finally {
      await ex.close();
    }
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
