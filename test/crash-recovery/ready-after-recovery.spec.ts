import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Orchestrator } from '@runtree/orchestration';
import type { AppendFault } from '../support/faulty-store.js';
import { buildTree, wideSpec, type BuiltTree } from '../support/trees.js';
import { RestartableStorage } from './restartable.js';

/** A store whose live feed lags this much per message, as EventStoreDB over a network can. */
const LAGGING_FEED_MS = 20;

interface InterruptedCommand {
  readonly name: string;
  readonly crashOn: AppendFault;
  send(orchestrator: Orchestrator, tree: BuiltTree): Promise<unknown>;
  /** What a reader must see once the repair is done. */
  repaired(orchestrator: Orchestrator, tree: BuiltTree): Promise<unknown>;
  readonly expected: unknown;
}

const interrupted: readonly InterruptedCommand[] = [
  {
    name: 'a cancel stopped after the root froze',
    crashOn: { eventType: 'RunCancelled' },
    send: (orchestrator, tree) => orchestrator.cancel(tree.runId, 'stop'),
    repaired: async (orchestrator, tree) => (await orchestrator.status(tree.runId)).run.status,
    expected: 'cancelled',
  },
  {
    name: 'a spawn stopped after its link',
    crashOn: { eventType: 'RunStarted' },
    send: (orchestrator, tree) => orchestrator.spawn(tree.runId),
    repaired: async (orchestrator, tree) => (await orchestrator.listChildren(tree.runId)).length,
    expected: 3,
  },
];

/** Recovery's repairs are visible to readers as soon as ensureReady() resolves, even when the feed lags. */
describe('ensureReady after a crash', () => {
  let storage: RestartableStorage;

  beforeEach(async () => {
    storage = await RestartableStorage.create();
  });

  afterEach(async () => {
    await storage.dispose();
  });

  it.each(interrupted.map((command) => [command.name, command] as const))(
    'answers reads with the repaired state as soon as it resolves (%s), even on a lagging store',
    async (_name, command) => {
      const doomed = await storage.startDoomed();
      const tree = await buildTree(doomed.orchestrator, wideSpec(2));
      await doomed.crashDuring(command.crashOn, (orchestrator) => command.send(orchestrator, tree));

      const restarted = await storage.restart({ subscriptionDelayMs: LAGGING_FEED_MS });
      expect(await command.repaired(restarted.orchestrator, tree)).toEqual(command.expected);
    },
  );
});
