import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { Orchestrator, OrchestratorModule, type OrchestratorModuleOptions, type ReadStoreOptions, type StoreOptions } from '@runtree/orchestration';
import { startEsdbDouble } from './esdb-double/index.js';
import { createTestDatabase } from './postgres.js';

/** A journal and a read store opened for one orchestrator; `dispose` removes whatever they left behind. */
export interface OpenedStore {
  readonly options: StoreOptions;
  /** Absent: the default beside the journal (SQLite). */
  readonly readStore?: ReadStoreOptions;
  dispose(): Promise<void>;
  /** Makes the store unreachable while keeping its data, and back (only where the target can: the EventStoreDB double). */
  readonly outage?: { suspend(): Promise<void>; resume(): Promise<void> };
}

/** A pairing of journal and read store the acceptance tests run on. Every `open()` gives fresh, empty ones. */
export interface StoreTarget {
  /** Short id, used by `RUNTREE_TEST_STORES=sqlite-memory,esdb` to run a subset. */
  readonly id: string;
  readonly name: string;
  open(): Promise<OpenedStore>;
}

export const sqliteMemoryTarget: StoreTarget = {
  id: 'sqlite-memory',
  name: 'sqlite :memory:',
  open: async () => ({ options: { kind: 'sqlite', path: ':memory:' }, dispose: async () => undefined }),
};

export const sqliteFileTarget: StoreTarget = {
  id: 'sqlite-file',
  name: 'sqlite temp file',
  async open() {
    const directory = await mkdtemp(join(tmpdir(), 'runtree-acceptance-'));
    return {
      options: { kind: 'sqlite', path: join(directory, 'runtree.sqlite') },
      dispose: () => rm(directory, { recursive: true, force: true }),
    };
  },
};

/** The scale-out pairing: EventStoreDB (its protocol double) with the read models in PostgreSQL, a database per store. */
export const esdbDoubleTarget: StoreTarget = {
  id: 'esdb',
  name: 'esdb protocol double + postgres',
  async open() {
    const double = await startEsdbDouble({ batchAppend: true });
    const database = await createTestDatabase().catch(async (error: unknown) => {
      await double.stop();
      throw error;
    });
    return {
      options: { kind: 'esdb', connectionString: double.connectionString },
      readStore: { kind: 'postgres', connectionString: database.url },
      dispose: async () => {
        await double.stop();
        await database.drop();
      },
      outage: { suspend: () => double.suspend(), resume: () => double.resume() },
    };
  },
};

export const storeTargets: readonly StoreTarget[] = [sqliteMemoryTarget, sqliteFileTarget, esdbDoubleTarget];

/** The targets selected by `RUNTREE_TEST_STORES` (comma-separated ids), all of them when unset. */
export function selectedStoreTargets(): readonly StoreTarget[] {
  const wanted = process.env.RUNTREE_TEST_STORES?.split(',').map((id) => id.trim());
  return wanted ? storeTargets.filter((target) => wanted.includes(target.id)) : storeTargets;
}

export interface StartedOrchestrator {
  readonly orchestrator: Orchestrator;
  readonly moduleRef: TestingModule;
  /** Closes the Nest module (not the store). */
  close(): Promise<void>;
}

/** Boots `OrchestratorModule.forRoot(options)` the way an application does, and waits until it is ready. */
export async function startOrchestrator(options: OrchestratorModuleOptions): Promise<StartedOrchestrator> {
  const moduleRef = await Test.createTestingModule({ imports: [OrchestratorModule.forRoot(options)] }).compile();
  try {
    await moduleRef.init();
    const orchestrator = moduleRef.get(Orchestrator);
    await orchestrator.ensureReady();
    return { orchestrator, moduleRef, close: () => moduleRef.close() };
  } catch (error) {
    await moduleRef.close();
    throw error;
  }
}

/** An orchestrator on a fresh store of `target`; its `close()` also disposes the store. */
export async function openOrchestrator(
  target: StoreTarget,
  moduleOptions: Omit<OrchestratorModuleOptions, 'store'> = {},
): Promise<StartedOrchestrator & { readonly store: OpenedStore }> {
  const store = await target.open();
  try {
    const started = await startOrchestrator({ ...moduleOptions, store: store.options, ...(store.readStore ? { readStore: store.readStore } : {}) });
    return {
      ...started,
      store,
      close: async () => {
        try {
          await started.close();
        } finally {
          await store.dispose();
        }
      },
    };
  } catch (error) {
    await store.dispose();
    throw error;
  }
}

export interface StoreContext {
  readonly target: StoreTarget;
  /** Another orchestrator, on its own fresh store of this target, with these module options. Closed after the describe. */
  openAnother(moduleOptions?: Omit<OrchestratorModuleOptions, 'store'>): Promise<Orchestrator>;
}

/**
 * One `describe` per store target, each with its own orchestrator (opened in `beforeAll`, closed in `afterAll`).
 * Tests share that orchestrator, so they must not depend on state other tests leave (use fresh runs).
 */
export function describeOnEveryStore(
  title: string,
  body: (getOrchestrator: () => Orchestrator, store: StoreContext) => void,
  targets: readonly StoreTarget[] = selectedStoreTargets(),
): void {
  for (const target of targets) {
    describe(`${title} [${target.name}]`, () => {
      let main: StartedOrchestrator | undefined;
      const others: StartedOrchestrator[] = [];

      beforeAll(async () => {
        main = await openOrchestrator(target);
      });

      afterAll(async () => {
        const toClose = [...others.splice(0), ...(main ? [main] : [])];
        main = undefined;
        for (const started of toClose) await started.close();
      });

      const getOrchestrator = (): Orchestrator => {
        if (!main) throw new Error(`the orchestrator on ${target.name} did not start (see beforeAll)`);
        return main.orchestrator;
      };
      const openAnother = async (moduleOptions: Omit<OrchestratorModuleOptions, 'store'> = {}): Promise<Orchestrator> => {
        const started = await openOrchestrator(target, moduleOptions);
        others.push(started);
        return started.orchestrator;
      };
      body(getOrchestrator, { target, openAnother });
    });
  }
}
