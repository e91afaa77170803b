import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { expect, it } from '@jest/globals';
import type { AwaitResult } from '@runtree/orchestration';
import { delay, expectOrchestratorError, malformed } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { settleRun, startRoot } from '../support/trees.js';

/**
 * "At once": answered by the event or the state, not by the timeout, which is 10 s or more wherever this
 * bound tells the two apart. How fast the wake-up is, is the bench's to measure (await wake-up p50/p99).
 */
const promptlyMs = 1_000;

/** Runs `action` after `ms`, inside the test (its failure fails the test through the returned promise). */
function later<T>(ms: number, action: () => Promise<T>): Promise<T> {
  return delay(ms).then(action);
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const start = performance.now();
  const value = await action();
  return { value, elapsedMs: performance.now() - start };
}

describeOnEveryStore('await', (orchestrator) => {
  it('resolves with the output when the running run completes later', async () => {
    const run = await startRoot(orchestrator());
    const [result] = await Promise.all([
      orchestrator().await(run.runId, 10_000),
      later(50, () => orchestrator().completeRun(run.runId, { summary: 'done' })),
    ]);

    expect(result).toMatchObject({ status: 'completed', output: { summary: 'done' }, run: { runId: run.runId, status: 'completed' } });
  });

  it('resolves with the error when the run fails later', async () => {
    const run = await startRoot(orchestrator());
    const [result] = await Promise.all([orchestrator().await(run.runId, 10_000), later(30, () => orchestrator().failRun(run.runId, { code: 'E42' }))]);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'E42' }, run: { status: 'failed' } });
    expect(result.output).toBeUndefined();
  });

  it('resolves with the cancel reason when an ancestor is cancelled later', async () => {
    const root = await startRoot(orchestrator());
    const child = await orchestrator().spawn(root.runId);
    const [result] = await Promise.all([orchestrator().await(child.run.runId, 10_000), later(30, () => orchestrator().cancel(root.runId, 'user abort'))]);
    expect(result).toMatchObject({ status: 'cancelled', cancelReason: { cancelledByParent: root.runId, reason: 'user abort' } });
  });

  it('wakes the waiter within milliseconds of the terminal event', async () => {
    const run = await startRoot(orchestrator());
    const waiting = orchestrator()
      .await(run.runId, 10_000)
      .then(() => performance.now());
    await delay(100);
    await orchestrator().completeRun(run.runId);
    const completedAt = performance.now();

    expect((await waiting) - completedAt).toBeLessThan(promptlyMs);
  });

  it.each([
    ['completed', 0],
    ['failed', 0],
    ['cancelled', 0],
    ['completed', 60_000],
    ['cancelled', 60_000],
  ] as const)('resolves a run already %s at once with timeout %d', async (status, timeoutMs) => {
    const run = await startRoot(orchestrator());
    await settleRun(orchestrator(), run.runId, status);

    const { value, elapsedMs } = await timed(() => orchestrator().await(run.runId, timeoutMs));
    expect(value.status).toBe(status);
    expect(value.run.status).toBe(status);
    expect(elapsedMs).toBeLessThan(promptlyMs);
  });

  it('gives output, error and cancelReason of an already terminal run', async () => {
    const [completed, failed, cancelled] = await Promise.all([1, 2, 3].map(() => startRoot(orchestrator())));
    await orchestrator().completeRun(completed.runId, [1, 2, 3]);
    await orchestrator().failRun(failed.runId, 'disk full');
    await orchestrator().cancel(cancelled.runId, { by: 'operator' });

    expect(await orchestrator().await(completed.runId, 0)).toMatchObject({ output: [1, 2, 3] });
    expect(await orchestrator().await(failed.runId, 0)).toMatchObject({ error: 'disk full' });
    expect(await orchestrator().await(cancelled.runId, 0)).toMatchObject({ cancelReason: { by: 'operator' } });
  });

  it('rejects a running run with timeout 0 at once with code timeout', async () => {
    const run = await startRoot(orchestrator());
    const start = performance.now();
    await expectOrchestratorError(orchestrator().await(run.runId, 0), 'timeout');
    expect(performance.now() - start).toBeLessThan(promptlyMs);
  });

  it('rejects with code timeout when a positive timeout passes first, not before', async () => {
    const run = await startRoot(orchestrator());
    const start = performance.now();
    await expectOrchestratorError(orchestrator().await(run.runId, 200), 'timeout');
    const elapsedMs = performance.now() - start;
    expect(elapsedMs).toBeGreaterThanOrEqual(190);
    expect(elapsedMs).toBeLessThan(200 + 2_000);
    expect((await orchestrator().status(run.runId)).run.status).toBe('running');
  });

  it('can await again after a timeout and resolves when the run ends', async () => {
    const run = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().await(run.runId, 20), 'timeout');
    const [result] = await Promise.all([orchestrator().await(run.runId, 10_000), later(20, () => orchestrator().completeRun(run.runId, 'late'))]);
    expect(result).toMatchObject({ status: 'completed', output: 'late' });
  });

  it('resolves many concurrent waiters on one run with the same result', async () => {
    const run = await startRoot(orchestrator());
    const waiters = Array.from({ length: 50 }, () => orchestrator().await(run.runId, 10_000));
    await delay(50);
    await orchestrator().completeRun(run.runId, { n: 50 });

    const results: AwaitResult[] = await Promise.all(waiters);
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]).toMatchObject({ status: 'completed', output: { n: 50 } });
  });

  it('stops waiting when the caller aborts, and the run can be awaited again', async () => {
    const run = await startRoot(orchestrator());
    const leaving = new AbortController();
    const abandoned = orchestrator().await(run.runId, 60_000, leaving.signal);
    await delay(20);
    leaving.abort();
    const { elapsedMs } = await timed(() => expectOrchestratorError(abandoned, 'timeout', { runId: run.runId, aborted: true }));
    expect(elapsedMs).toBeLessThan(promptlyMs);

    await expectOrchestratorError(orchestrator().await(run.runId, 60_000, AbortSignal.abort()), 'timeout', { aborted: true });
    const [result] = await Promise.all([orchestrator().await(run.runId, 10_000, new AbortController().signal), later(20, () => orchestrator().completeRun(run.runId, 'done'))]);
    expect(result).toMatchObject({ status: 'completed', output: 'done' });
  });

  it.each([['a string', 'abort'], ['an object with aborted', { aborted: false }], ['null', null]])(
    'refuses a signal that is %s with invalid_option naming signal',
    async (_label, signal) => {
      const run = await startRoot(orchestrator());
      await expectOrchestratorError(orchestrator().await(run.runId, 1_000, malformed<AbortSignal>(signal)), 'invalid_option', { field: 'signal' });
    },
  );

  it('refuses an unknown run with not_found, whatever the timeout', async () => {
    await expectOrchestratorError(orchestrator().await(`missing-${randomUUID()}`, 1_000), 'not_found');
    await expectOrchestratorError(orchestrator().await(`missing-${randomUUID()}`, 0), 'not_found');
  });

  it.each([
    ['negative', -1],
    ['not an integer', 1.5],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['a string', '100'],
  ])('refuses a timeout that is %s with invalid_timeout', async (_label, timeoutMs) => {
    const run = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().await(run.runId, malformed<number>(timeoutMs)), 'invalid_timeout');
  });
});
