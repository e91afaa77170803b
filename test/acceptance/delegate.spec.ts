import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { DelegateOptions } from '@runtree/orchestration';
import { entriesOfType, expectOrchestratorError, malformed } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { openSubstrates, startRootInThread } from '../support/substrates.js';
import { settleRun, startRoot } from '../support/trees.js';

const task = { instruction: 'summarise the incident report', sources: ['a.md', 'b.md'] };

describeOnEveryStore('delegate', (orchestrator) => {
  it('starts a running child of kind `delegated_task` whose input is the task', async () => {
    const parent = await startRoot(orchestrator());
    const run = await orchestrator().delegate(parent.runId, task);

    expect(run).toMatchObject({ kind: 'delegated_task', status: 'running', input: task, parentRunId: parent.runId, relation: 'delegated' });
    expect((await orchestrator().status(run.runId)).run.input).toEqual(task);
  });

  it('records the task on the link, seen by listChildren, status and collect', async () => {
    const parent = await startRoot(orchestrator());
    const run = await orchestrator().delegate(parent.runId, task, { metadata: { assignee: 'worker-3' } });

    const [child] = await orchestrator().listChildren(parent.runId);
    expect(child).toMatchObject({ relation: 'delegated', task, metadata: { assignee: 'worker-3' }, parentRunId: parent.runId });
    expect(child.run.runId).toBe(run.runId);
    expect(await orchestrator().status(run.runId)).toMatchObject({ relation: 'delegated', task, parentRunId: parent.runId });
    expect((await orchestrator().collect(run.runId)).link).toMatchObject({ relation: 'delegated', task, childRunId: run.runId, parentRunId: parent.runId });
  });

  it('keeps the given run id, kind and metadata, with the lineage in metadata.orchestrator', async () => {
    const parent = await startRoot(orchestrator());
    const runId = `delegated-${randomUUID()}`;
    const run = await orchestrator().delegate(parent.runId, task, { runId, kind: 'summariser', metadata: { cost: 3 } });

    expect(run).toMatchObject({ runId, kind: 'summariser', metadata: { cost: 3 } });
    expect(run.metadata.orchestrator).toMatchObject({ parentRunId: parent.runId, relation: 'delegated', substrate: 'run' });
  });

  it('refuses opts.input with unsupported_option naming `input` (the task is the input)', async () => {
    const parent = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().delegate(parent.runId, task, malformed<DelegateOptions>({ input: 'other' })), 'unsupported_option', {
      field: 'input',
    });
    expect(await orchestrator().listChildren(parent.runId)).toEqual([]);
  });

  it('records ChildDelegated (not ChildSpawned) with the task in the parent journal', async () => {
    const parent = await startRoot(orchestrator());
    const run = await orchestrator().delegate(parent.runId, task);

    const journal = (await orchestrator().collect(parent.runId)).journal ?? [];
    expect(entriesOfType(journal, 'ChildSpawned')).toEqual([]);
    expect(entriesOfType(journal, 'ChildDelegated').map((entry) => entry.data)).toEqual([expect.objectContaining({ childRunId: run.runId, task })]);
  });

  it('places the delegated child by the same session and thread rules as spawn', async () => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInThread(orchestrator(), fixture);

    const inherited = await orchestrator().delegate(parent.runId, task);
    const owned = await orchestrator().delegate(parent.runId, task, { session: { open: {} }, thread: { start: { name: 'work' } } });

    expect(inherited).toMatchObject({ sessionId: fixture.session.sessionId, threadId: fixture.thread.threadId, substrate: 'run' });
    expect(owned.substrate).toBe('session_thread');
    const children = await orchestrator().listChildren(parent.runId);
    expect(children[1]).toMatchObject({ relation: 'delegated', ownsSession: true, substrate: 'session_thread' });
  });

  it('refuses an invalid, unknown or finished parent like spawn does', async () => {
    const finished = await startRoot(orchestrator());
    await settleRun(orchestrator(), finished.runId, 'completed');

    await expectOrchestratorError(orchestrator().delegate(malformed(17), task), 'invalid_parent');
    await expectOrchestratorError(orchestrator().delegate(`missing-${randomUUID()}`, task), 'parent_not_found');
    await expectOrchestratorError(orchestrator().delegate(finished.runId, task), 'parent_not_running', { status: 'completed' });
  });

  it('refuses an unknown delegate option with unsupported_option naming it', async () => {
    const parent = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().delegate(parent.runId, task, malformed<DelegateOptions>({ deadline: 5 })), 'unsupported_option', {
      field: 'deadline',
    });
  });
});
