import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ReadStore } from '@runtree/read-store';
import { READ_STORE, type ReadStoreOptions } from '@runtree/orchestration';
import { startOrchestrator, type StartedOrchestrator } from '../support/orchestrator-targets.js';
import { createTestDatabase } from '../support/postgres.js';

/** A read store whose next write of a run's outcome dies mid-transaction: after rows of the batch, before its commit. */
interface CrashableReadStore {
  readonly options: ReadStoreOptions;
  armCrash(): Promise<void>;
  disarm(): Promise<void>;
  dispose(): Promise<void>;
}

const CRASH = 'simulated crash between the rows and the checkpoint';

async function sqliteReadStore(directory: string): Promise<CrashableReadStore> {
  const path = join(directory, 'runtree.read.db');
  const exec = (sql: string) => {
    const db = new Database(path, { timeout: 5000 });
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  };
  return {
    options: { kind: 'sqlite', path },
    armCrash: async () => exec(`CREATE TRIGGER crash BEFORE INSERT ON run_outcomes BEGIN SELECT RAISE(ABORT, '${CRASH}'); END`),
    disarm: async () => exec('DROP TRIGGER IF EXISTS crash'),
    dispose: async () => undefined,
  };
}

async function postgresReadStore(): Promise<CrashableReadStore> {
  const database = await createTestDatabase();
  const exec = async (sql: string) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    options: { kind: 'postgres', connectionString: database.url },
    armCrash: () =>
      exec(`CREATE FUNCTION runtree.crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${CRASH}'; END $$;
            CREATE TRIGGER crash BEFORE INSERT ON runtree.run_outcomes FOR EACH ROW EXECUTE FUNCTION runtree.crash()`),
    disarm: () => exec('DROP TRIGGER IF EXISTS crash ON runtree.run_outcomes; DROP FUNCTION IF EXISTS runtree.crash()'),
    dispose: () => database.drop(),
  };
}

const pairings = [
  { name: 'sqlite journal + sqlite read store', open: sqliteReadStore },
  { name: 'sqlite journal + postgres read store', open: () => postgresReadStore() },
];

describe.each(pairings)('a crash between the projection’s row writes and its checkpoint [$name]', ({ open }) => {
  let directory: string;
  let readStore: CrashableReadStore | undefined;
  const started: StartedOrchestrator[] = [];

  afterEach(async () => {
    for (const orchestrator of started.splice(0)) await orchestrator.close();
    await readStore?.dispose();
    await rm(directory, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it('leaves the batch unwritten, checkpoint included; after restart the read models equal a rebuild', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    directory = await mkdtemp(join(tmpdir(), 'runtree-projection-crash-'));
    readStore = await open(directory);
    const moduleOptions = { store: { kind: 'sqlite', path: join(directory, 'runtree.db') } as const, readStore: readStore.options, readYourWritesTimeoutMs: 3000 };
    const before = await startOrchestrator(moduleOptions);
    started.push(before);
    const root = await before.orchestrator.startRun({ runId: 'root' });
    await before.orchestrator.spawn(root, { runId: 'child' });
    await before.orchestrator.startStep('child', { stepId: 'step' });

    await readStore.armCrash();
    // The journal takes the command; the read models cannot: the command answers store_unavailable.
    await expect(before.orchestrator.completeRun('child', { answer: 42 })).rejects.toMatchObject({ code: 'store_unavailable' });
    const stored = before.moduleRef.get<ReadStore>(READ_STORE);
    expect(await stored.runCore('child')).toMatchObject({ status: 'running', activeStepCount: 1 });
    expect(await stored.runCore('root')).toMatchObject({ activeChildCount: 1, runningDescendants: 1 });
    const checkpointAtCrash = await stored.readCheckpoint('live');
    await before.close();
    started.pop();
    await readStore.disarm();

    const after = await startOrchestrator(moduleOptions);
    started.push(after);
    expect(await after.orchestrator.status('child')).toMatchObject({ run: { status: 'completed', output: { answer: 42 } }, activeStepCount: 0 });
    expect(await after.orchestrator.status('root')).toMatchObject({ activeChildCount: 0 });
    const restarted = after.moduleRef.get<ReadStore>(READ_STORE);
    expect((await restarted.readCheckpoint('live')).version).toBeGreaterThan(checkpointAtCrash.version);
    const live = await restarted.dump();
    await after.orchestrator.rebuild();
    expect(await restarted.dump()).toEqual(live);
  });
});
