import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readJournalFile, verifyJournal } from '@runtree/journal-audit';
import { Orchestrator, schemaRegistry, type RunStatus } from '@runtree/orchestration';
import { startHttpApp, type HttpApp } from '../http/http-app.js';
import { ARTIFACTS, buildConsole, chromiumAvailable, launchBrowser, type Browser } from './browser.js';

const API_TOKEN = 'console-test-token-0123456789';
/** What "live" means for the console: a change shows within a second, without a reload. */
const LIVE_MS = 1_000;

const describeWithChromium = chromiumAvailable() ? describe : describe.skip;

describeWithChromium('the web console at /ui, in Chromium', () => {
  let h: HttpApp;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    await buildConsole();
    h = await startHttpApp({ env: { RUNTREE_API_TOKEN: API_TOKEN } });
    baseUrl = await h.listen();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const post = async (path: string, body: object = {}) => (await h.http.post(path).auth(API_TOKEN, { type: 'bearer' }).send(body).expect((r) => expect(r.status).toBeLessThan(300))).body;
  const start = (runId: string) => post('/runs', { runId, kind: 'research' });
  const spawn = (parent: string, runId: string, kind = 'task') => post(`/runs/${parent}/children`, { runId, kind });
  const status = async (runId: string): Promise<RunStatus> => (await h.http.get(`/runs/${runId}/status`).auth(API_TOKEN, { type: 'bearer' }).expect(200)).body.run.status;

  /** A tab that has been given the token once. */
  async function signedIn(hash = ''): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/ui${hash}`);
    await page.getByLabel('Token').fill(API_TOKEN);
    await page.getByRole('button', { name: 'Use this token' }).click();
    return page;
  }
  const treeRow = (page: Page, runId: string) => page.getByRole('treeitem').filter({ has: page.getByRole('link', { name: runId, exact: true }) });
  const seeStatus = (page: Page, runId: string, runStatus: RunStatus, timeout = 10_000) => treeRow(page, runId).locator('.status', { hasText: runStatus }).waitFor({ timeout });

  it('asks for the API token once and keeps it for the tab only', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${baseUrl}/ui`);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await page.getByRole('heading', { name: 'API token' }).waitFor();
    await browser.screenshot(page, 'token-prompt');
    await page.getByLabel('Token').fill('not-the-token-at-all-0000');
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByRole('alert').filter({ hasText: 'unauthorized: that token is not valid' }).waitFor();
    await page.getByLabel('Token').fill(API_TOKEN);
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    expect(await page.getByLabel('Token').count()).toBe(0);
    const otherTab = await browser.newPage();
    await otherTab.goto(`${baseUrl}/ui`);
    await otherTab.getByRole('heading', { name: 'API token' }).waitFor();
    await Promise.all([page.close(), otherTab.close()]);
  });

  it("shows a three-level tree with each run's status, and a completion made through the API without a reload", async () => {
    await start('t3-root');
    await spawn('t3-root', 't3-search');
    await spawn('t3-search', 't3-fetch');
    await spawn('t3-root', 't3-write');
    await post('/runs/t3-fetch/complete', { output: { hits: 3 } });
    await post('/runs/t3-write/fail', { error: 'no sources' });
    const page = await signedIn('#/runs/t3-root');
    await seeStatus(page, 't3-fetch', 'completed');
    const seen = async (runId: string) => (await treeRow(page, runId).locator('.status').textContent()) ?? '';
    expect(await Promise.all(['t3-root', 't3-search', 't3-fetch', 't3-write'].map(seen))).toEqual(['running', 'running', 'completed', 'failed']);
    expect(await treeRow(page, 't3-fetch').getAttribute('aria-level')).toBe('3');
    await browser.screenshot(page, 'tree');

    await post('/runs/t3-search/complete', { output: 'done' });
    const completedAt = Date.now();
    await seeStatus(page, 't3-search', 'completed', LIVE_MS);
    const childAppearsMs = Date.now() - completedAt;
    await spawn('t3-root', 't3-review');
    await seeStatus(page, 't3-review', 'running', LIVE_MS);
    await browser.screenshot(page, 'tree-live');
    console.log(`console: a completion made through the API showed after ${childAppearsMs} ms`);
    await page.close();
  });

  it('cancels the tree from the console after asking, and shows an error with its code', async () => {
    await start('c-root');
    await spawn('c-root', 'c-a');
    await spawn('c-a', 'c-a-1');
    await spawn('c-root', 'c-b');
    const page = await signedIn('#/runs/c-b');
    await seeStatus(page, 'c-b', 'running');

    // The run finishes elsewhere while the dialog is open: the answer's code and message are shown.
    await page.getByRole('button', { name: 'Complete…' }).click();
    await post('/runs/c-b/complete', {});
    await page.getByRole('dialog').getByRole('button', { name: 'Complete the run' }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: /^invalid_status_transition: / }).waitFor();
    await browser.screenshot(page, 'action-error');
    await page.getByRole('dialog').getByRole('button', { name: 'Back' }).click();

    await treeRow(page, 'c-root').getByRole('link', { name: 'c-root', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel tree…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Cancel the tree' }).waitFor();
    await dialog.getByLabel('Reason (JSON or text)').fill('operator stop');
    await browser.screenshot(page, 'cancel-confirm');
    await dialog.getByRole('button', { name: 'Cancel the tree' }).click();
    await page.getByRole('status').filter({ hasText: 'Cancelled 3 runs of the tree of c-root' }).waitFor();
    expect(await Promise.all(['c-root', 'c-a', 'c-a-1', 'c-b'].map(status))).toEqual(['cancelled', 'cancelled', 'cancelled', 'completed']);
    for (const runId of ['c-root', 'c-a', 'c-a-1']) await seeStatus(page, runId, 'cancelled', LIVE_MS);
    await browser.screenshot(page, 'cancelled');
    await page.close();
  });

  it("shows a journal's events with the hash chain verified, and downloads the export verify accepts", async () => {
    await start('j-root');
    await spawn('j-root', 'j-child');
    await post('/runs/j-child/complete', { output: { answer: 42 } });
    const page = await signedIn('#/runs/j-root/journal');
    await page.getByRole('status').filter({ hasText: /^✓ Verified: 2 events in 1 stream; codecs, hash chains/ }).waitFor();
    await page.getByLabel("The whole tree's journal").check();
    await page.getByRole('status').filter({ hasText: /^✓ Verified: 4 events in 2 streams/ }).waitFor();
    const types = await page.locator('table.journal tbody tr td:nth-child(3)').allTextContents();
    expect(types).toEqual(['RunStarted', 'ChildSpawned', 'RunStarted', 'RunCompleted']);
    await page.locator('table.journal tbody tr').last().getByText('Show data').click();
    await page.locator('table.journal pre', { hasText: '"answer": 42' }).waitFor();
    await browser.screenshot(page, 'journal');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Download the export/ }).click()]);
    expect(download.suggestedFilename()).toBe('j-root-tree.ndjson');
    const file = join(ARTIFACTS, 'j-root-tree.ndjson');
    await download.saveAs(file);
    const journal = await readJournalFile(file);
    expect(journal.events).toHaveLength(4);
    expect(journal.end).toMatchObject({ runId: 'j-root', tree: true, eventCount: 4 });
    expect(verifyJournal(journal, schemaRegistry)).toEqual([]);
    await page.close();
  });

  it('shows a tree of 10,001 runs, drawing only the rows in view', async () => {
    const orchestrator = h.app.get(Orchestrator);
    await orchestrator.startRun({ runId: 'big', kind: 'fleet' });
    const children = Array.from({ length: 100 }, (_, index) => `big-${index}`);
    for (const runId of children) await orchestrator.spawn('big', { runId, kind: 'worker' });
    // Each child's own children one after the other (one parent stream), the children side by side.
    await Promise.all(children.map(async (parent) => {
      for (let index = 0; index < 99; index++) await orchestrator.spawn(parent, { runId: `${parent}-${index}`, kind: 'step' });
    }));
    const page = await signedIn();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    const opened = Date.now();
    await page.goto(`${baseUrl}/ui#/runs/big`);
    await page.locator('[data-ready="true"]', { hasText: '10,001 runs (10,001 running' }).waitFor({ timeout: 60_000 });
    const shownMs = Date.now() - opened;
    const drawnRows = await page.getByRole('treeitem').count();
    expect(drawnRows).toBeLessThan(100);
    await page.getByRole('tree').evaluate((tree) => tree.scrollTo({ top: tree.scrollHeight }));
    await treeRow(page, 'big-99-98').waitFor();
    const feedMs = Number((await page.locator('.tree-summary .muted').textContent())?.match(/(\d+) ms/)?.[1]);
    await browser.screenshot(page, 'tree-10k');
    await writeFile(join(ARTIFACTS, 'tree-10k.json'), JSON.stringify({ runs: 10_001, shownMs, feedMs, drawnRows }, null, 2));
    console.log(`console: a tree of 10,001 runs shown in ${shownMs} ms (feed read and drawn in ${feedMs} ms), ${drawnRows} rows in the page`);
  }, 300_000);
});
