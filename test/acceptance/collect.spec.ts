import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { CollectOptions } from '@runtree/orchestration';
import {
  entriesOfStream,
  expectOrchestratorError,
  expectPositionsIncreasing,
  malformed,
  runStreamName,
} from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { allRuns, buildTree, preOrderDescendants, startRoot, type TreeSpec } from '../support/trees.js';

/** Three levels, uneven, so pre-order, level order and id order all differ. */
const unevenTree: TreeSpec = {
  children: [{ children: [{}, { children: [{}] }] }, {}, { children: [{}, {}] }],
};

describeOnEveryStore('collect', (orchestrator) => {
  it('by default gives the run, its children, its steps and its journal, but no descendants', async () => {
    const tree = await buildTree(orchestrator(), { children: [{ children: [{}] }] });
    const step = await orchestrator().startStep(tree.runId, { name: 'plan' });

    const result = await orchestrator().collect(tree.runId);
    expect(result.run).toMatchObject({ runId: tree.runId, status: 'running' });
    expect(result.children.map((child) => child.run.runId)).toEqual([tree.children[0].runId]);
    expect(result.steps).toEqual([expect.objectContaining({ stepId: step.stepId, name: 'plan', status: 'running', runId: tree.runId })]);
    expect(result.journal?.[0]?.type).toBe('RunStarted');
    expect(result.journal?.map((entry) => entry.type)).toEqual(expect.arrayContaining(['ChildSpawned', 'StepStarted']));
    expect(result.descendants).toBeUndefined();
    expect(result.link).toBeUndefined();
  });

  it('gives children exactly as listChildren does', async () => {
    const tree = await buildTree(orchestrator(), unevenTree);
    expect((await orchestrator().collect(tree.runId)).children).toEqual(await orchestrator().listChildren(tree.runId));
  });

  it('gives steps [] for a run without steps', async () => {
    const run = await startRoot(orchestrator());
    expect((await orchestrator().collect(run.runId)).steps).toEqual([]);
  });

  it('leaves out steps with includeSteps false and the journal with includeJournal false', async () => {
    const run = await startRoot(orchestrator());
    await orchestrator().startStep(run.runId);

    const withoutSteps = await orchestrator().collect(run.runId, { includeSteps: false });
    const withoutJournal = await orchestrator().collect(run.runId, { includeJournal: false });
    expect(withoutSteps.steps).toBeUndefined();
    expect(withoutSteps.journal?.map((entry) => entry.type)).toEqual(expect.arrayContaining(['RunStarted', 'StepStarted']));
    expect(withoutJournal.journal).toBeUndefined();
    expect(withoutJournal.steps).toHaveLength(1);
  });

  it("gives a child's link", async () => {
    const parent = await startRoot(orchestrator());
    await orchestrator().spawn(parent.runId);
    const child = await orchestrator().spawn(parent.runId, { metadata: { role: 'critic' } });

    const { link } = await orchestrator().collect(child.run.runId);
    expect(link).toMatchObject({
      parentRunId: parent.runId,
      childRunId: child.run.runId,
      relation: 'spawned',
      substrate: 'run',
      metadata: { role: 'critic' },
      ownsSession: false,
      stopSessionOnCancel: expect.any(Boolean),
      sequence: 1,
    });
    expect(link?.createdAt).toEqual(expect.any(String));
  });

  it('gives every descendant depth-first pre-order, siblings oldest first', async () => {
    const tree = await buildTree(orchestrator(), unevenTree);
    const { descendants } = await orchestrator().collect(tree.runId, { includeDescendants: true });

    expect(descendants?.map((child) => child.run.runId)).toEqual(preOrderDescendants(tree).map((node) => node.runId));
    expect(descendants?.map((child) => child.parentRunId)).toEqual(preOrderDescendants(tree).map((node) => node.parentRunId));
  });

  it('gives descendants [] for a run without children', async () => {
    const run = await startRoot(orchestrator());
    expect((await orchestrator().collect(run.runId, { includeDescendants: true })).descendants).toEqual([]);
  });

  it('gives descendants of a subtree only', async () => {
    const tree = await buildTree(orchestrator(), unevenTree);
    const subtree = tree.children[0];
    const { descendants } = await orchestrator().collect(subtree.runId, { includeDescendants: true });
    expect(descendants?.map((child) => child.run.runId)).toEqual(preOrderDescendants(subtree).map((node) => node.runId));
  });

  it("gives a run's own stream as its journal: contiguous revisions, increasing positions, full metadata", async () => {
    const tree = await buildTree(orchestrator(), { children: [{}] });
    const step = await orchestrator().startStep(tree.runId, { name: 'write' });
    await orchestrator().completeStep(tree.runId, step.stepId, 'written');
    await orchestrator().completeRun(tree.runId, 'done');

    const journal = (await orchestrator().collect(tree.runId)).journal ?? [];
    expect(journal.map((entry) => entry.streamName)).toEqual(journal.map(() => runStreamName(tree.runId)));
    expect(journal.map((entry) => entry.revision)).toEqual(journal.map((_, index) => String(index)));
    expect(journal.map((entry) => entry.type)).toEqual(expect.arrayContaining(['RunStarted', 'ChildSpawned', 'StepStarted', 'StepCompleted', 'RunCompleted']));
    expectPositionsIncreasing(journal);
    for (const entry of journal) {
      expect(entry.metadata).toMatchObject({
        commandId: expect.any(String),
        correlationId: expect.any(String),
        causationId: expect.any(String),
        schemaVersion: expect.any(Number),
        occurredAt: expect.any(String),
        prevHash: expect.any(String),
        hash: expect.any(String),
      });
    }
  });

  it('chains each event hash to the previous event of its stream', async () => {
    const run = await startRoot(orchestrator());
    await orchestrator().startStep(run.runId);
    await orchestrator().completeRun(run.runId);

    const journal = (await orchestrator().collect(run.runId)).journal ?? [];
    const hashes = journal.map((entry) => entry.metadata as { prevHash: string; hash: string });
    expect(hashes[0].prevHash).toBe('');
    for (let index = 1; index < hashes.length; index++) expect(hashes[index].prevHash).toBe(hashes[index - 1].hash);
    expect(new Set(hashes.map((hash) => hash.hash)).size).toBe(hashes.length);
  });

  it('merges the journals of the whole tree in commit order with includeDescendants', async () => {
    const tree = await buildTree(orchestrator(), unevenTree);
    const [first, second] = tree.children;
    await orchestrator().startStep(second.runId);
    await orchestrator().startStep(first.children[1].children[0].runId);
    await orchestrator().completeRun(first.runId);

    const journal = (await orchestrator().collect(tree.runId, { includeDescendants: true })).journal ?? [];
    expectPositionsIncreasing(journal);
    expect(new Set(journal.map((entry) => entry.streamName))).toEqual(new Set(allRuns(tree).map((node) => runStreamName(node.runId))));
    for (const node of allRuns(tree)) {
      const own = (await orchestrator().collect(node.runId)).journal ?? [];
      expect(entriesOfStream(journal, runStreamName(node.runId))).toEqual(own);
    }
  });

  it("keeps the children's streams out of the journal without includeDescendants", async () => {
    const tree = await buildTree(orchestrator(), unevenTree);
    const journal = (await orchestrator().collect(tree.runId)).journal ?? [];
    expect(new Set(journal.map((entry) => entry.streamName))).toEqual(new Set([runStreamName(tree.runId)]));
  });

  it('refuses an unknown option with unsupported_option naming it', async () => {
    const run = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().collect(run.runId, malformed<CollectOptions>({ includeChildren: true })), 'unsupported_option', {
      field: 'includeChildren',
    });
  });

  it.each([
    ['includeSteps', 'yes'],
    ['includeJournal', 1],
    ['includeDescendants', null],
  ])('refuses %s = %j with invalid_option naming it', async (field, value) => {
    const run = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().collect(run.runId, malformed<CollectOptions>({ [field]: value })), 'invalid_option', { field });
  });

  it('refuses an unknown run with not_found', async () => {
    await expectOrchestratorError(orchestrator().collect(`missing-${randomUUID()}`), 'not_found');
  });
});
