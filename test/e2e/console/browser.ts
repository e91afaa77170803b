import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureBuilt, repo } from '../../support/build-once.js';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it). */
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
/** Screenshots are kept here for CI to keep as artifacts (gitignored). */
export const ARTIFACTS = join(repo, 'test-artifacts', 'console');

/** Quiet and local: without the background-networking flags Chromium calls outside hosts many times a second. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/**
 * Whether Chromium is there. On CI a missing one fails the suite (it must not pass by skipping);
 * elsewhere the suite is skipped with a warning.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `The console's browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_BIN)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`${message}: skipped`);
  return false;
}

/** Bundles the console into dist/console unless it is newer than its sources. */
export function buildConsole(): Promise<void> {
  return ensureBuilt({ name: 'console', command: ['node', 'apps/console/build.mjs'], main: join(repo, 'dist/console/index.html'), sources: ['apps/console'] });
}

export interface Browser {
  /** A new tab: its own sessionStorage, as a person opening the console anew. */
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Headless Chromium on a fresh, empty profile, at a laptop's screen size. */
export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'runtree-chromium-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
  });
  return {
    newPage: () => context.newPage(),
    screenshot: async (page, name) => {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
