import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { Orchestrator, RunStatus } from '@runtree/orchestration';
import { entriesOfType, expectOrchestratorError, expectOrchestratorErrorOneOf, runStreamName } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { buildTree, preOrderDescendants, settleRun, startRoot, wideSpec } from '../support/trees.js';

type Terminal = Exclude<RunStatus, 'running'>;
const terminalStatuses: readonly Terminal[] = ['completed', 'failed', 'cancelled'];

/** Tries to move a run to `to` through the API call that does it. */
function moveRunTo(orchestrator: Orchestrator, runId: string, to: 'completed' | 'failed'): Promise<unknown> {
  return to === 'completed' ? orchestrator.completeRun(runId, 'again') : orchestrator.failRun(runId, 'again');
}

describeOnEveryStore('run lifecycle', (orchestrator) => {
  it('completes a running run with its output', async () => {
    const run = await startRoot(orchestrator());
    const completed = await orchestrator().completeRun(run.runId, { answer: 42 });

    expect(completed).toMatchObject({ runId: run.runId, status: 'completed', output: { answer: 42 } });
    expect((await orchestrator().status(run.runId)).run).toEqual(completed);
    const journal = (await orchestrator().collect(run.runId)).journal ?? [];
    expect(journal.at(-1)).toMatchObject({ type: 'RunCompleted', data: { output: { answer: 42 } } });
  });

  it('completes a run without output', async () => {
    const run = await startRoot(orchestrator());
    const completed = await orchestrator().completeRun(run.runId);
    expect(completed.status).toBe('completed');
    expect(completed.output).toBeUndefined();
  });

  it('fails a running run with its error', async () => {
    const run = await startRoot(orchestrator());
    const failed = await orchestrator().failRun(run.runId, { message: 'quota exceeded' });

    expect(failed).toMatchObject({ status: 'failed', error: { message: 'quota exceeded' } });
    expect((await orchestrator().collect(run.runId)).journal?.at(-1)).toMatchObject({ type: 'RunFailed' });
  });

  it('moves the revision and keeps createdAt when a run changes', async () => {
    const run = await startRoot(orchestrator());
    const completed = await orchestrator().completeRun(run.runId);
    expect(BigInt(completed.revision)).toBeGreaterThan(BigInt(run.revision));
    expect(completed.createdAt).toBe(run.createdAt);
    expect(Date.parse(completed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(run.updatedAt));
  });

  it.each(terminalStatuses.flatMap((from) => (['completed', 'failed'] as const).map((to) => [from, to] as const)))(
    'refuses %s → %s with invalid_status_transition naming both statuses',
    async (from, to) => {
      const run = await startRoot(orchestrator());
      await settleRun(orchestrator(), run.runId, from);
      const journalBefore = (await orchestrator().collect(run.runId)).journal;

      await expectOrchestratorError(moveRunTo(orchestrator(), run.runId, to), 'invalid_status_transition', { from, to });
      expect((await orchestrator().collect(run.runId)).journal).toEqual(journalBefore);
    },
  );

  it('refuses to complete or fail an unknown run with not_found', async () => {
    await expectOrchestratorError(orchestrator().completeRun(`missing-${randomUUID()}`), 'not_found');
    await expectOrchestratorError(orchestrator().failRun(`missing-${randomUUID()}`, 'x'), 'not_found');
  });

  it('does not cancel the children of a run that completes', async () => {
    const tree = await buildTree(orchestrator(), wideSpec(2));
    await orchestrator().completeRun(tree.runId);
    for (const child of tree.children) expect((await orchestrator().status(child.runId)).run.status).toBe('running');
  });
});

describeOnEveryStore('step lifecycle', (orchestrator) => {
  it('starts a running step with a generated id, or the given id, name, kind and input', async () => {
    const run = await startRoot(orchestrator());
    const generated = await orchestrator().startStep(run.runId);
    const stepId = `step-${randomUUID()}`;
    const given = await orchestrator().startStep(run.runId, { stepId, name: 'search', kind: 'tool_call', input: { q: 'wal mode' } });

    expect(generated).toMatchObject({ runId: run.runId, status: 'running' });
    expect(generated.stepId.length).toBeGreaterThan(0);
    expect(given).toMatchObject({ stepId, runId: run.runId, name: 'search', kind: 'tool_call', input: { q: 'wal mode' }, status: 'running' });
    const journal = (await orchestrator().collect(run.runId)).journal ?? [];
    expect(entriesOfType(journal, 'StepStarted').map((entry) => (entry.data as { stepId: string }).stepId)).toEqual([generated.stepId, stepId]);
  });

  it('completes a step with its output and fails a step with its error', async () => {
    const run = await startRoot(orchestrator());
    const first = await orchestrator().startStep(run.runId, { name: 'first' });
    const second = await orchestrator().startStep(run.runId, { name: 'second' });

    expect(await orchestrator().completeStep(run.runId, first.stepId, [1, 2])).toMatchObject({ status: 'completed', output: [1, 2] });
    expect(await orchestrator().failStep(run.runId, second.stepId, 'timeout upstream')).toMatchObject({ status: 'failed', error: 'timeout upstream' });
    const { steps, journal } = await orchestrator().collect(run.runId);
    expect(steps?.map((step) => [step.name, step.status])).toEqual([
      ['first', 'completed'],
      ['second', 'failed'],
    ]);
    expect(journal?.map((entry) => entry.type)).toEqual(expect.arrayContaining(['StepCompleted', 'StepFailed']));
  });

  it('refuses a step id that is taken in the run with already_exists', async () => {
    const run = await startRoot(orchestrator());
    const step = await orchestrator().startStep(run.runId);
    await expectOrchestratorError(orchestrator().startStep(run.runId, { stepId: step.stepId }), 'already_exists');
  });

  it.each([
    ['completed', 'completed'],
    ['completed', 'failed'],
    ['failed', 'completed'],
    ['failed', 'failed'],
  ] as const)('refuses a %s step → %s with invalid_status_transition', async (from, to) => {
    const run = await startRoot(orchestrator());
    const step = await orchestrator().startStep(run.runId);
    if (from === 'completed') await orchestrator().completeStep(run.runId, step.stepId);
    else await orchestrator().failStep(run.runId, step.stepId, 'first');

    const again = to === 'completed' ? orchestrator().completeStep(run.runId, step.stepId) : orchestrator().failStep(run.runId, step.stepId, 'again');
    await expectOrchestratorError(again, 'invalid_status_transition', { from, to });
  });

  it.each(['completed', 'failed'] as const)('cancels the running steps of a run that becomes %s, as StepCancelled events', async (status) => {
    const run = await startRoot(orchestrator());
    const done = await orchestrator().startStep(run.runId, { name: 'done' });
    await orchestrator().completeStep(run.runId, done.stepId);
    const open = await orchestrator().startStep(run.runId, { name: 'open' });

    await settleRun(orchestrator(), run.runId, status);

    const { steps, journal } = await orchestrator().collect(run.runId);
    expect(steps?.map((step) => [step.stepId, step.status])).toEqual([
      [done.stepId, 'completed'],
      [open.stepId, 'cancelled'],
    ]);
    expect(entriesOfType(journal ?? [], 'StepCancelled').map((entry) => (entry.data as { stepId: string }).stepId)).toEqual([open.stepId]);
  });

  it('refuses to finish a step cancelled with its run (invalid_status_transition from cancelled)', async () => {
    const run = await startRoot(orchestrator());
    const step = await orchestrator().startStep(run.runId);
    await orchestrator().completeRun(run.runId);
    await expectOrchestratorError(orchestrator().completeStep(run.runId, step.stepId), 'invalid_status_transition', { from: 'cancelled', to: 'completed' });
  });

  it.each(terminalStatuses)('refuses to start a step in a %s run', async (status) => {
    const run = await startRoot(orchestrator());
    await settleRun(orchestrator(), run.runId, status);
    const error = await expectOrchestratorErrorOneOf(orchestrator().startStep(run.runId), ['invalid_status_transition', 'parent_not_running']);
    expect(Object.values(error.details)).toContain(status);
    expect((await orchestrator().status(run.runId)).stepCount).toBe(0);
  });

  it('refuses unknown runs and steps with not_found', async () => {
    const run = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().startStep(`missing-${randomUUID()}`), 'not_found');
    await expectOrchestratorError(orchestrator().completeStep(run.runId, `missing-${randomUUID()}`), 'not_found');
    await expectOrchestratorError(orchestrator().failStep(run.runId, `missing-${randomUUID()}`, 'x'), 'not_found');
    await expectOrchestratorError(orchestrator().completeStep(`missing-${randomUUID()}`, 'step'), 'not_found');
  });
});

describeOnEveryStore('ensureReady, clear and rebuild', (orchestrator, store) => {
  it('accepts ensureReady again', async () => {
    await orchestrator().ensureReady();
    await orchestrator().ensureReady();
    expect((await startRoot(orchestrator())).status).toBe('running');
  });

  it('forgets the read models on clear(), keeps the journal, and rebuild() restores identical collect() and status() results', async () => {
    const tree = await buildTree(orchestrator(), { children: [{ children: [{ settle: 'completed' }, {}] }, { settle: 'failed' }, {}] });
    await orchestrator().startStep(tree.runId, { name: 'kept' });
    await orchestrator().cancel(tree.children[2].runId, 'pruned');
    const runIds = [tree.runId, ...preOrderDescendants(tree).map((node) => node.runId)];
    const snapshot = () =>
      Promise.all(runIds.map(async (runId) => ({ collected: await orchestrator().collect(runId, { includeDescendants: true }), status: await orchestrator().status(runId) })));
    const before = await snapshot();

    await orchestrator().clear();
    await expectOrchestratorError(orchestrator().status(tree.runId), 'not_found');

    await orchestrator().rebuild();
    expect(await snapshot()).toEqual(before);
    expect(before[0].collected.journal?.[0]).toMatchObject({ type: 'RunStarted', streamName: runStreamName(tree.runId) });
  });

  it('keeps working for new commands after clear() and rebuild()', async () => {
    await orchestrator().clear();
    await orchestrator().rebuild();
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId);
    expect(await orchestrator().listChildren(parent.runId)).toEqual([expect.objectContaining({ run: expect.objectContaining({ runId: child.run.runId }) })]);
  });

  it('takes time and ids from the injected clock and id generator', async () => {
    const now = new Date('2030-01-02T03:04:05.000Z');
    let counter = 0;
    const deterministic = await store.openAnother({ clock: () => now, generateId: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` });

    const run = await deterministic.startRun();
    const child = await deterministic.spawn(run.runId);
    expect(run.createdAt).toBe(now.toISOString());
    // Command ids come from the generator; a created run's id derives from its command id (so a retry creates nothing new).
    const journal = (await deterministic.collect(run.runId)).journal ?? [];
    expect(journal[0].metadata).toMatchObject({ occurredAt: now.toISOString(), commandId: expect.stringMatching(/^00000000-0000-4000-8000-\d{12}$/) });
    expect(journal[1].metadata).toMatchObject({ commandId: expect.stringMatching(/^00000000-0000-4000-8000-\d{12}$/) });
    expect(child.run.runId).not.toBe(run.runId);
  });
});
