import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROGRESS_THRESHOLD, progressBar, type ProgressStream } from '../../apps/runtree-cli/src/progress.js';
import { createFixtureStore, type FixtureStore } from './support/fixture-store.js';
import { ensureCliBuilt, runCli } from './support/run-cli.js';

/** A stream that records what is written to it; `isTTY` as a terminal would say. */
function fakeStream(isTTY: boolean): ProgressStream & { text: string } {
  const stream = { isTTY, text: '', write: (chunk: string) => ((stream.text += chunk), true) };
  return stream;
}

describe('progress bar', () => {
  it('draws on a terminal for long work, ends at the total, and clears itself', () => {
    const stream = fakeStream(true);
    let clock = 0;
    const progress = progressBar('exporting', 5000, stream, () => (clock += 10));
    for (let i = 0; i < 5000; i++) progress.advance();
    progress.done();
    expect(stream.text).toContain(`\rexporting [${'#'.repeat(30)}] 5000/5000`);
    expect(stream.text).toContain(`\rexporting [${'#'.repeat(6)}${'-'.repeat(24)}] `);
    expect(stream.text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('redraws at most every 100 ms', () => {
    const stream = fakeStream(true);
    const progress = progressBar('replaying', 5000, stream, () => 0);
    for (let i = 0; i < 4999; i++) progress.advance();
    expect(stream.text.split('\r')).toHaveLength(2); // drawn once, the clock never moved
  });

  it('stays silent when the output is not a terminal', () => {
    const stream = fakeStream(false);
    const progress = progressBar('exporting', 5000, stream);
    for (let i = 0; i < 5000; i++) progress.advance();
    progress.done();
    expect(stream.text).toBe('');
  });

  it('stays silent for short work, and counts without a total once the work gets long', () => {
    const short = fakeStream(true);
    const quick = progressBar('exporting', 10, short);
    for (let i = 0; i < 10; i++) quick.advance();
    quick.done();
    expect(short.text).toBe('');
    const open = fakeStream(true);
    const counting = progressBar('replaying', undefined, open);
    for (let i = 0; i < PROGRESS_THRESHOLD - 1; i++) counting.advance();
    expect(open.text).toBe('');
    counting.advance();
    expect(open.text).toContain(`\rreplaying ${PROGRESS_THRESHOLD}`);
  });
});

describe('the CLI on a long journal, piped', () => {
  let fixture: FixtureStore;
  let busyRunId: string;

  beforeAll(async () => {
    await ensureCliBuilt();
    fixture = await createFixtureStore();
    const live = await fixture.open();
    try {
      const run = await live.orchestrator.startRun({ kind: 'busy' });
      busyRunId = run.runId;
      for (let i = 0; i < PROGRESS_THRESHOLD / 2 + 100; i++) {
        const step = await live.orchestrator.startStep(run.runId, { name: `step ${i}`, kind: 'tool' });
        await live.orchestrator.completeStep(run.runId, step.stepId);
      }
    } finally {
      await live.close();
    }
  }, 240_000);

  afterAll(() => fixture?.dispose());

  it('exports, verifies and replays more than the threshold with nothing on stderr', async () => {
    const file = join(fixture.directory, 'busy.ndjson');
    const exported = await runCli(['journal', 'export', busyRunId, '--sqlite', fixture.path, '--out', file]);
    expect(exported).toEqual({ code: 0, stdout: '', stderr: '' });
    const verified = await runCli(['journal', 'verify', file]);
    expect(verified.stdout).toMatch(/^OK .*: 2201 events in 1 stream;/);
    const replayed = await runCli(['replay', file]);
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout).toContain(`${busyRunId}  running  busy  root  steps 1100 (0 running)`);
  });
});
