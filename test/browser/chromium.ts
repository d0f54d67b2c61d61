// Debian's Chromium, headless, driven through playwright-core: never a downloaded browser. Each
// launch gets a fresh --user-data-dir (removed on close) and the flags that keep Chromium off the
// network. The browser tests skip when /usr/bin/chromium is missing on a developer's machine,
// and fail in CI (CI=true), where .ci/run installs it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Skip the browser tests only off CI, and only when Chromium is not installed. */
export const browserMissing = !existsSync(CHROMIUM) && process.env.CI !== 'true';

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile directory; close() removes it. */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'daxmc-chromium-'));
  // launchPersistentContext passes --user-data-dir=<profile> itself (launch() refuses that flag).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport,
    timeout: 30_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
