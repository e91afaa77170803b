import { describe, expect, it } from '@jest/globals';
import { EVENT_STORE, READ_STORE } from '@runtree/orchestration';
import type { EventStore } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { esdbDoubleTarget, selectedStoreTargets, sqliteFileTarget, startOrchestrator } from '../support/orchestrator-targets.js';
import { allRuns, buildTree, type TreeSpec } from '../support/trees.js';

/** A chain `depth` runs deep below the root, each run of it with a leaf beside the next. */
function chainWithLeaves(depth: number): TreeSpec {
  let spec: TreeSpec = {};
  for (let level = 0; level < depth; level++) spec = { children: [spec, {}] };
  return spec;
}

const DEPTH = 40;

// Stores whose data outlive the orchestrator: the cancel runs on a fresh one, with nothing of the tree cached.
const targets = selectedStoreTargets().filter((target) => target === sqliteFileTarget || target === esdbDoubleTarget);

/** Builds the chain, then cancels it on a fresh orchestrator; `prepare` may change its read store first. Counts `readStreams` calls. */
async function cancelOnFreshOrchestrator(target: (typeof targets)[number], prepare: (readStore: ReadStore) => void = () => undefined) {
  const store = await target.open();
  const options = { store: store.options, ...(store.readStore ? { readStore: store.readStore } : {}) };
  try {
    const builder = await startOrchestrator(options);
    const tree = await buildTree(builder.orchestrator, chainWithLeaves(DEPTH)).finally(() => builder.close());
    const started = await startOrchestrator(options);
    try {
      prepare(started.moduleRef.get<ReadStore>(READ_STORE));
      const journal = started.moduleRef.get<EventStore>(EVENT_STORE);
      const readStreams = journal.readStreams.bind(journal);
      let reads = 0;
      journal.readStreams = (...args) => {
        reads++;
        return readStreams(...args);
      };
      const result = await started.orchestrator.cancel(tree.runId, 'stop');
      return { runs: allRuns(tree).length, cancelled: result.cancelled.length, reads };
    } finally {
      await started.close();
    }
  } finally {
    await store.dispose();
  }
}

for (const target of targets) {
  describe(`cancel's reads of the journal [${target.name}]`, () => {
    it(`reads a chain of depth ${DEPTH} in a couple of reads, not one per level, with the read side naming the tree ahead`, async () => {
      const { runs, cancelled, reads } = await cancelOnFreshOrchestrator(target);

      expect(cancelled).toBe(runs);
      expect(reads).toBeLessThanOrEqual(2);
    });

    it('cancels the whole chain, reading it level by level, when the read side cannot name the tree', async () => {
      const { runs, cancelled, reads } = await cancelOnFreshOrchestrator(target, (readStore) => {
        readStore.descendantIds = () => Promise.reject(new Error('the read store is down'));
      });

      expect(cancelled).toBe(runs);
      expect(reads).toBeGreaterThanOrEqual(DEPTH);
    });
  });
}
