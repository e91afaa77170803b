import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StoreUnavailableError } from '@runtree/event-store';
import { OrchestratorError } from '@runtree/orchestration';
import { delay, expectOrchestratorError } from '../support/orchestrator-expect.js';
import { esdbDoubleTarget, openOrchestrator, startOrchestrator, type StartedOrchestrator, type OpenedStore } from '../support/orchestrator-targets.js';
import { startRoot } from '../support/trees.js';
import { eventually } from '../e2e/ops/ops-app.js';

async function settlesWithin(ms: number, work: Promise<unknown>): Promise<'settled' | 'still pending'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'still pending'>((resolve) => (timer = setTimeout(resolve, ms, 'still pending')));
  try {
    return await Promise.race([work.then(() => 'settled' as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Only the EventStoreDB target can be made unreachable from a test (the double's suspend/resume). */
describe(`store_unavailable [${esdbDoubleTarget.name}]`, () => {
  let started: (StartedOrchestrator & { readonly store: OpenedStore }) | undefined;

  beforeAll(async () => {
    started = await openOrchestrator(esdbDoubleTarget);
  });

  // Closing waits for the client's reconnection after the outage (gRPC backoff): slow on a loaded machine.
  afterAll(async () => {
    await started?.store.outage?.resume();
    await started?.close();
  }, 90_000);

  it('rejects commands with store_unavailable while the store is down, and works again once it is back', async () => {
    const { orchestrator, store } = started as StartedOrchestrator & { readonly store: OpenedStore };
    const run = await startRoot(orchestrator);

    await store.outage?.suspend();
    try {
      const refused = await expectOrchestratorError(orchestrator.startRun(), 'store_unavailable');
      // The default policy: up to 4 tries within 1.5 s (fewer when a loaded machine makes the tries slow).
      expect(refused.message).toMatch(/gave up after [2-4] attempts over \d+ ms: EventStoreDB/);
      await expectOrchestratorError(orchestrator.completeRun(run.runId), 'store_unavailable');
    } finally {
      await store.outage?.resume();
    }

    // The client reconnects on its own schedule (gRPC backoff): readiness comes back within a while.
    await eventually(() => orchestrator.ensureReady());
    await expect(orchestrator.completeRun(run.runId, 'after the outage')).resolves.toMatchObject({ status: 'completed' });
  }, 60_000);

  it('lets a command ride out an outage shorter than its storeRetry policy', async () => {
    const patient = await openOrchestrator(esdbDoubleTarget, { storeRetry: { attempts: 100, firstDelayMs: 50, maxDelayMs: 200, deadlineMs: 30_000 } });
    try {
      const run = await startRoot(patient.orchestrator);
      await patient.store.outage?.suspend();
      const completing = patient.orchestrator.completeRun(run.runId, 'despite the outage');
      await delay(500);
      await patient.store.outage?.resume();
      await expect(completing).resolves.toMatchObject({ status: 'completed', output: 'despite the outage' });
    } finally {
      await patient.close();
    }
  }, 60_000);

  // Closing used to hang for good now and then after an outage: the EventStoreDB client's dispose()
  // waited for a read the adapter had stopped reading early (it hung 4 times in 4 runs of 40 rounds
  // on a loaded machine). Each round closes within a bound, or the test fails instead of hanging.
  it('shuts down promptly after an outage, every time', async () => {
    for (let round = 0; round < 8; round++) {
      const opened = await openOrchestrator(esdbDoubleTarget);
      const run = await startRoot(opened.orchestrator);
      await opened.store.outage?.suspend();
      await expectOrchestratorError(opened.orchestrator.completeRun(run.runId), 'store_unavailable');
      await opened.store.outage?.resume();
      await eventually(() => opened.orchestrator.ensureReady());
      // The read side may still be waiting out its retry delay: the command is retried, applied once (its commandId).
      const commandId = randomUUID();
      await eventually(async () => void (await opened.orchestrator.completeRun(run.runId, 'after the outage', { commandId })));
      await expect(settlesWithin(10_000, opened.close())).resolves.toBe('settled');
    }
  }, 150_000);

  it('refuses a storeRetry option that is not a policy, naming the field', async () => {
    await expect(startOrchestrator({ store: { kind: 'sqlite', path: ':memory:' }, storeRetry: { attempts: 0 } })).rejects.toThrow(
      'storeRetry.attempts must be an integer >= 1 (got 0)',
    );
  });

  it('refuses to start against an EventStoreDB nobody listens on, with store_unavailable', async () => {
    const attempt = startOrchestrator({ store: { kind: 'esdb', connectionString: 'esdb://127.0.0.1:1?tls=false' } });
    const error = await attempt.then(
      async (unexpected) => {
        await unexpected.close();
        throw new Error('the orchestrator started without a store');
      },
      (rejection: unknown) => rejection,
    );
    // Start-up may fail in the module's init (the store's own typed error) or in ensureReady (the facade's error).
    const failure = error instanceof OrchestratorError ? error.code : (error as Error).name;
    expect(['store_unavailable', StoreUnavailableError.name]).toContain(failure);
  }, 15_000);
});
