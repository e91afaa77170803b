import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StoreUnavailableError } from '@runtree/event-store';
import { OrchestratorError } from '@runtree/orchestration';
import { expectOrchestratorError } from '../support/orchestrator-expect.js';
import { esdbDoubleTarget, openOrchestrator, startOrchestrator, type StartedOrchestrator, type OpenedStore } from '../support/orchestrator-targets.js';
import { startRoot } from '../support/trees.js';

/** Only the EventStoreDB target can be made unreachable from a test (the double's suspend/resume). */
describe(`store_unavailable [${esdbDoubleTarget.name}]`, () => {
  let started: (StartedOrchestrator & { readonly store: OpenedStore }) | undefined;

  beforeAll(async () => {
    started = await openOrchestrator(esdbDoubleTarget);
  });

  afterAll(async () => {
    await started?.store.outage?.resume();
    await started?.close();
  });

  it('rejects commands with store_unavailable while the store is down, and works again once it is back', async () => {
    const { orchestrator, store } = started as StartedOrchestrator & { readonly store: OpenedStore };
    const run = await startRoot(orchestrator);

    await store.outage?.suspend();
    try {
      await expectOrchestratorError(orchestrator.startRun(), 'store_unavailable');
      await expectOrchestratorError(orchestrator.completeRun(run.runId), 'store_unavailable');
    } finally {
      await store.outage?.resume();
    }

    await orchestrator.ensureReady();
    await expect(orchestrator.completeRun(run.runId, 'after the outage')).resolves.toMatchObject({ status: 'completed' });
  }, 60_000);

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
