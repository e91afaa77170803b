import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openEsdbEventStore, type EventStore } from '@runtree/event-store';
import { OrchestratorError, type OrchestrationPolicy, type Orchestrator, type PolicyDecision, type SpawnRequest } from '@runtree/orchestration';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/index.js';
import { startOrchestrator, type StartedOrchestrator } from '../support/orchestrator-targets.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

/** Denies the first spawn it is asked about, allows every later one; counts what it was asked. */
class DeniesFirstPolicy implements OrchestrationPolicy {
  evaluations = 0;
  evaluate(_request: SpawnRequest): PolicyDecision {
    this.evaluations++;
    return this.evaluations === 1 ? { allowed: false, limit: 'firstSpawn', reason: 'the first spawn is refused' } : { allowed: true };
  }
}

/**
 * The store of one writer, where its next append to `streamName` first lets `interleave` run: another
 * writer's append lands in between, so this writer's append meets a newer revision and is retried.
 */
function withInterleavedWrite(store: EventStore, streamName: string, interleave: () => Promise<unknown>): EventStore {
  let armed = true;
  const wrapped = Object.create(store) as EventStore;
  wrapped.appendToStream = async (name, events, options) => {
    if (armed && name === streamName) {
      armed = false;
      await interleave();
    }
    return store.appendToStream(name, events, options);
  };
  return wrapped;
}

describe('a spawn whose write is retried after another writer won the race [esdb protocol double + postgres, two writers]', () => {
  let double: EsdbDouble;
  let database: TestDatabase;
  let other: StartedOrchestrator;
  let here: StartedOrchestrator | undefined;
  let hereStore: EventStore;
  const policy = new DeniesFirstPolicy();

  beforeAll(async () => {
    double = await startEsdbDouble({ batchAppend: true });
    database = await createTestDatabase();
    const readStore = { kind: 'postgres', connectionString: database.url } as const;
    other = await startOrchestrator({ store: { kind: 'esdb', connectionString: double.connectionString }, readStore });
    const parent = await other.orchestrator.startRun({ runId: 'parent' });
    hereStore = openEsdbEventStore({ connectionString: double.connectionString });
    const racing = withInterleavedWrite(hereStore, 'run-parent', () => other.orchestrator.startStep(parent.runId, { stepId: 'elsewhere' }));
    here = await startOrchestrator({ store: { kind: 'instance', store: racing }, readStore, policy });
  }, 60_000);

  afterAll(async () => {
    await here?.close();
    await other?.close();
    await hereStore?.close();
    await double?.stop();
    await database?.drop();
  });

  it('answers what it wrote: the policy is decided once, and a refused spawn links no child, then or later', async () => {
    const orchestrator: Orchestrator = here!.orchestrator;
    const answer = await orchestrator.spawn('parent', { runId: 'child', commandId: 'spawn-1' }).catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(OrchestratorError);
    expect(answer).toMatchObject({ code: 'policy_denied', details: { parentRunId: 'parent', limit: 'firstSpawn' } });
    expect(policy.evaluations).toBe(1);

    const journal = (await orchestrator.collect('parent', { includeSteps: true })).journal!.map((entry) => entry.type);
    expect(journal).toEqual(['RunStarted', 'StepStarted', 'SpawnDenied']);
    expect(await orchestrator.listChildren('parent')).toEqual([]);
    await expect(orchestrator.status('child')).rejects.toMatchObject({ code: 'not_found' });
    // Nothing is left for start-up recovery to make of it either.
    await other.close();
    other = await startOrchestrator({ store: { kind: 'esdb', connectionString: double.connectionString }, readStore: { kind: 'postgres', connectionString: database.url } });
    await expect(other.orchestrator.status('child')).rejects.toMatchObject({ code: 'not_found' });
  });
});
