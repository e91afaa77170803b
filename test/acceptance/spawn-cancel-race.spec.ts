import { expect, it } from '@jest/globals';
import { OrchestratorError, type Child, type Orchestrator } from '@runtree/orchestration';
import { compareJournalPositions, entriesOfType, runStreamName } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { startRoot } from '../support/trees.js';

const spawnsPerRound = 50;
const rounds = 20;
/** A safety net for a hung race, not a speed check: on the protocol double under a loaded machine the rounds took over 120 s. */
const TIMEOUT_MS = 300_000;

/** Fires `spawnsPerRound` spawns at one parent and a cancel of it from the middle of the burst. */
async function raceSpawnsAgainstCancel(orchestrator: Orchestrator, round: number) {
  const parent = await startRoot(orchestrator, { metadata: { round } });
  const cancelAfter = Math.floor(spawnsPerRound / 2);
  const spawns: Promise<Child>[] = [];
  let cancel: Promise<unknown> = Promise.resolve();
  for (let index = 0; index < spawnsPerRound; index++) {
    if (index === cancelAfter) cancel = orchestrator.cancel(parent.runId, `race ${round}`);
    spawns.push(orchestrator.spawn(parent.runId, { metadata: { index } }));
  }
  const [outcomes] = await Promise.all([Promise.allSettled(spawns), cancel]);
  return { parentRunId: parent.runId, outcomes };
}

describeOnEveryStore('spawns racing a cancel on one parent', (orchestrator) => {
  it(`leaves no running run and no child attached after the cancel, over ${rounds} rounds of ${spawnsPerRound} spawns`, async () => {
    for (let round = 0; round < rounds; round++) {
      const { parentRunId, outcomes } = await raceSpawnsAgainstCancel(orchestrator(), round);

      const spawned: string[] = [];
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') {
          spawned.push(outcome.value.run.runId);
          continue;
        }
        const error = outcome.reason as unknown;
        expect(error).toBeInstanceOf(OrchestratorError);
        const { code, details } = error as OrchestratorError;
        // Refused either after the cancel, or while it was under way (the parent still running but frozen).
        const refusal = details.status === 'cancelled' ? { status: 'cancelled' } : { status: 'running', cancelling: true };
        expect({ round, code, details }).toEqual({ round, code: 'parent_not_running', details: expect.objectContaining(refusal) });
      }

      const collected = await orchestrator().collect(parentRunId, { includeDescendants: true });
      expect(collected.run.status).toBe('cancelled');
      expect({ round, running: (collected.descendants ?? []).filter((child) => child.run.status === 'running').map((child) => child.run.runId) }).toEqual({
        round,
        running: [],
      });
      expect((collected.descendants ?? []).map((child) => child.run.runId).sort()).toEqual([...spawned].sort());
      for (const runId of spawned) expect((await orchestrator().status(runId)).run.status).toBe('cancelled');

      const parentJournal = (collected.journal ?? []).filter((entry) => entry.streamName === runStreamName(parentRunId));
      const [cancelled] = entriesOfType(parentJournal, 'RunCancelled');
      const lateLinks = entriesOfType(parentJournal, 'ChildSpawned').filter((entry) => compareJournalPositions(entry.position, cancelled.position) > 0);
      expect({ round, lateLinks }).toEqual({ round, lateLinks: [] });
      expect(entriesOfType(parentJournal, 'ChildSpawned')).toHaveLength(spawned.length);
    }
  }, TIMEOUT_MS);
});
