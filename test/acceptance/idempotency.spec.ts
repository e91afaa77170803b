import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { JournalEntry, Orchestrator } from '@runtree/orchestration';
import { expectOrchestratorError } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { startRoot } from '../support/trees.js';

/** A command sent with a `commandId` for the run id `prepare` gives (a fresh running root by default). */
interface RetriedCommand {
  readonly name: string;
  send(orchestrator: Orchestrator, runId: string, commandId: string): Promise<unknown>;
  /** The run id to send the command for: '' when the command creates its run with a generated id. */
  prepare?(orchestrator: Orchestrator): Promise<string>;
}

const commands: readonly RetriedCommand[] = [
  {
    name: 'startRun',
    prepare: async () => `run-${randomUUID()}`,
    send: (orchestrator, runId, commandId) => orchestrator.startRun({ runId, kind: 'retried', input: 1, commandId }),
  },
  {
    name: 'startRun with a generated run id',
    prepare: async () => '',
    send: (orchestrator, _unused, commandId) => orchestrator.startRun({ input: 'generated', commandId }),
  },
  { name: 'spawn', send: (orchestrator, root, commandId) => orchestrator.spawn(root, { metadata: { try: 1 }, commandId }) },
  { name: 'spawn with an owned session and a thread', send: (orchestrator, root, commandId) => orchestrator.spawn(root, { session: { open: {} }, thread: { start: {} }, commandId }) },
  { name: 'delegate', send: (orchestrator, root, commandId) => orchestrator.delegate(root, { task: 'index' }, { commandId }) },
  { name: 'completeRun', send: (orchestrator, root, commandId) => orchestrator.completeRun(root, { done: true }, { commandId }) },
  { name: 'failRun', send: (orchestrator, root, commandId) => orchestrator.failRun(root, 'broken', { commandId }) },
  { name: 'startStep', send: (orchestrator, root, commandId) => orchestrator.startStep(root, { name: 'once', commandId }) },
  {
    name: 'cancel of a tree',
    prepare: async (orchestrator) => {
      const root = await startRoot(orchestrator);
      const child = await orchestrator.spawn(root.runId);
      await orchestrator.spawn(child.run.runId);
      return root.runId;
    },
    send: (orchestrator, root, commandId) => orchestrator.cancel(root, 'retried stop', { commandId }),
  },
];

/** Everything journaled under the root, or nothing when the root does not exist yet. */
async function treeJournal(orchestrator: Orchestrator, rootRunId: string): Promise<JournalEntry[]> {
  if (!rootRunId) return [];
  return (await orchestrator.collect(rootRunId, { includeDescendants: true })).journal ?? [];
}

describeOnEveryStore('idempotent commands', (orchestrator) => {
  it.each(commands.map((command) => [command.name, command] as const))('%s sent twice with one commandId: same result, journal unchanged', async (_name, command) => {
    const root = command.prepare ? await command.prepare(orchestrator()) : (await startRoot(orchestrator())).runId;
    const commandId = randomUUID();

    const first = await command.send(orchestrator(), root, commandId);
    const journalRoot = root || (first as { runId: string }).runId;
    const journalAfterFirst = await treeJournal(orchestrator(), journalRoot);
    const second = await command.send(orchestrator(), root, commandId);

    expect(second).toEqual(first);
    expect(await treeJournal(orchestrator(), journalRoot)).toEqual(journalAfterFirst);
    expect(journalAfterFirst.filter((entry) => (entry.metadata as { commandId?: string }).commandId === commandId).length).toBeGreaterThan(0);
  });

  it('links one child when the same spawn is sent twice concurrently', async () => {
    const root = await startRoot(orchestrator());
    const commandId = randomUUID();
    const [first, second] = await Promise.all([orchestrator().spawn(root.runId, { commandId }), orchestrator().spawn(root.runId, { commandId })]);

    expect(second.run.runId).toBe(first.run.runId);
    expect((await orchestrator().listChildren(root.runId)).map((child) => child.run.runId)).toEqual([first.run.runId]);
  });

  it('treats a new commandId as a new command (a second completeRun is invalid_status_transition)', async () => {
    const root = await startRoot(orchestrator());
    await orchestrator().completeRun(root.runId, 'once', { commandId: randomUUID() });
    await expectOrchestratorError(orchestrator().completeRun(root.runId, 'twice', { commandId: randomUUID() }), 'invalid_status_transition', {
      from: 'completed',
      to: 'completed',
    });
  });

  it('gives two spawns without commandId two children', async () => {
    const root = await startRoot(orchestrator());
    await orchestrator().spawn(root.runId, { metadata: { same: true } });
    await orchestrator().spawn(root.runId, { metadata: { same: true } });
    expect(await orchestrator().listChildren(root.runId)).toHaveLength(2);
  });

  it('records the commandId, correlationId and causationId given with a command in its events', async () => {
    const root = await startRoot(orchestrator());
    const ids = { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID() };
    await orchestrator().startStep(root.runId, { name: 'traced', ...ids });

    const journal = (await orchestrator().collect(root.runId)).journal ?? [];
    expect(journal.find((entry) => entry.type === 'StepStarted')?.metadata).toMatchObject(ids);
  });
});
