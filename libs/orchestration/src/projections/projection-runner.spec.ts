import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, StoreUnavailableError, type EventStore, type RecordedEvent, type SqliteEventStore } from '@runtree/event-store';
import { openSqliteReadStore, type ReadStore, type SqliteReadStore } from '@runtree/read-store';
import { ProjectionRunner } from './projection-runner.js';
import { EventScript, eventMetadata } from './testing/event-script.js';

const options = { readYourWritesTimeoutMs: 2000, outageGraceMs: 200 };

describe('ProjectionRunner', () => {
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let runner: ProjectionRunner;

  beforeEach(() => {
    store = openSqliteEventStore({ path: ':memory:' });
    readStore = openSqliteReadStore({ path: ':memory:' });
    runner = new ProjectionRunner(store, readStore, options);
  });

  afterEach(async () => {
    await runner.stop();
    await store.close();
    await readStore.close();
    jest.restoreAllMocks();
  });

  const childIds = async (runId: string) => (await readStore.children(runId)).map((child) => child.run.runId);

  it('applies what was written before and after start, and waitFor gives read-your-writes', async () => {
    await new EventScript().startRun('before').appendTo(store);
    runner.start();
    await runner.whenCaughtUp();
    expect(await readStore.run('before')).toBeDefined();

    const { position } = await new EventScript().startRun('p').spawn('p', 'c', 0).appendTo(store);
    await runner.waitFor(position);
    expect(await childIds('p')).toEqual(['c']);
    expect(runner.checkpoint).toEqual(position);
    expect(runner.isProjector).toBe(true);
  });

  it('resolves waitFor at once when the position is already applied', async () => {
    runner.start();
    const { position } = await new EventScript().startRun('r').appendTo(store);
    await runner.waitFor(position);
    let resolved = false;
    void runner.waitFor(position).then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(true);
  });

  it('logs and skips an event that does not decode, and goes on', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    runner.start();
    await store.appendToStream('run-bad', [{ id: randomUUID(), type: 'RunStarted', data: { runId: 42 }, metadata: eventMetadata('2025-01-01T00:00:00.000Z') }], {
      expectedRevision: 'any',
    });
    const { position } = await new EventScript().startRun('good').appendTo(store);
    await runner.waitFor(position);
    expect(await readStore.run('good')).toBeDefined();
    expect(await readStore.run('bad')).toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('run-bad@0'));
  });

  it('clear forgets the read models and follows on from the end of the log', async () => {
    runner.start();
    const { position } = await new EventScript().startRun('old').appendTo(store);
    await runner.waitFor(position);

    await runner.clear();
    expect(await readStore.runCount()).toBe(0);
    expect(runner.checkpoint).toEqual(await store.headPosition());

    const next = await new EventScript().onRun('old', 'RunCompleted', {}).startRun('new').appendTo(store);
    await runner.waitFor(next.position);
    expect(await readStore.run('old')).toBeUndefined();
    expect(await readStore.run('new')).toBeDefined();
  });

  it('rebuild replays the journal into tables identical to the live ones, and swaps them in', async () => {
    runner.start();
    const { position } = await new EventScript()
      .startRun('p')
      .spawn('p', 'a', 0)
      .link('p', 'b', 1)
      .onRun('a', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' })
      .onRun('a', 'RunCompleted', { output: 'ok' })
      .startChild('p', 'b', 1)
      .onRun('p', 'CancelRequested', { reason: 'r', origin: 'root' })
      .appendTo(store);
    await runner.waitFor(position);
    const live = await readStore.dump();

    await runner.clear();
    expect(await readStore.runCount()).toBe(0);
    await runner.rebuild();
    expect(await readStore.dump()).toEqual(live);
    expect(await readStore.runCount()).toBe(3);
    expect(runner.checkpoint).toEqual(position);
  });

  it('rebuilds a log of several pages, rows changed across pages, into the live read models', async () => {
    runner.start();
    const script = new EventScript().startRun('root');
    const runs = Array.from({ length: 1500 }, (_, index) => `r${index}`);
    runs.forEach((runId, index) => script.spawn('root', runId, index));
    // Every run's step and completion come pages after its start.
    for (const runId of runs) script.onRun(runId, 'StepStarted', { stepId: 's', name: 'n', kind: 'k' });
    for (const runId of runs) script.onRun(runId, 'RunCompleted', { output: runId });
    const { position } = await script.appendTo(store);
    await runner.waitFor(position);
    const live = await readStore.dump();

    await runner.rebuild();
    expect(await readStore.dump()).toEqual(live);
    expect(await readStore.runCount()).toBe(1501);
  });

  it('keeps the live read models readable and up to date while a rebuild runs', async () => {
    runner.start();
    const script = new EventScript().startRun('p');
    for (let index = 0; index < 600; index++) script.spawn('p', `c${index}`, index);
    await runner.waitFor((await script.appendTo(store)).position);
    const before = await readStore.dump();
    await runner.clear();
    const rebuilding = runner.rebuild();
    // Mid-rebuild the readers see the cleared live tables, never a half-built model, and new writes land.
    expect(await readStore.runCount()).toBe(0);
    const late = await new EventScript().startRun('late').appendTo(store);
    await runner.waitFor(late.position);
    expect(await readStore.run('late')).toBeDefined();
    await rebuilding;
    const after = await readStore.dump();
    expect(after.runs.map((run) => run.runId)).toEqual([...before.runs.map((run) => run.runId), 'late'].sort());
    expect((await readStore.runCore('p'))?.childCount).toBe(600);
  });

  it("keeps each run's listing key, and so the listing's cursors, through a clear and a rebuild", async () => {
    const listed = async () => (await readStore.listRuns({ limit: 10, include: { metadata: false, input: false, output: false } })).runs.map((run) => [run.runId, run.listingKey]);
    await new EventScript().startRun('a').startRun('b').appendTo(store);
    runner.start();
    await runner.whenCaughtUp();
    await runner.clear();
    const { position } = await new EventScript().startRun('c').startRun('d').appendTo(store);
    await runner.waitFor(position);
    const afterClear = await listed();
    expect(afterClear.map(([runId]) => runId)).toEqual(['d', 'c']);
    await runner.rebuild();
    const rebuilt = await listed();
    expect(rebuilt.map(([runId]) => runId)).toEqual(['d', 'c', 'b', 'a']);
    expect(rebuilt.slice(0, 2)).toEqual(afterClear);
  });

  it('runs concurrent clear and rebuild one after the other', async () => {
    runner.start();
    await runner.waitFor((await new EventScript().startRun('p').spawn('p', 'c', 0).appendTo(store)).position);
    const live = await readStore.dump();
    await Promise.all([runner.clear(), runner.rebuild()]);
    expect(await readStore.dump()).toEqual(live);
    expect(runner.isRunning).toBe(true);
  });

  it('retries when the store fails and resumes from its checkpoint without gaps or repeats', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const flaky = failingOnce(store);
    runner = new ProjectionRunner(flaky.store, readStore, options);
    runner.start();
    const script = new EventScript().startRun('r');
    for (let index = 0; index < 20; index++) script.onRun('r', 'StepStarted', { stepId: `s${index}`, name: 'n', kind: 'k' });
    const { position } = await script.appendTo(store);
    await runner.waitFor(position);
    expect(flaky.failures).toBe(1);
    expect((await readStore.steps('r')).map((step) => step.stepId)).toEqual(script.events.slice(1).map((_, index) => `s${index}`));
    expect(await readStore.runCore('r')).toMatchObject({ stepCount: 20, activeStepCount: 20 });
  });

  /** A runner whose journal reads fail from its start, once they have failed six times: its next try is 1.6 s away. */
  const runnerSixFailuresIntoAnOutage = async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const journal = failingWhileDown(store);
    runner = new ProjectionRunner(journal.store, readStore, options);
    runner.start();
    await pollUntil(() => journal.failures >= 6);
    return journal;
  };

  it('tries again at once when a write shows the journal answers after an outage, not after its retry delay', async () => {
    // The next try is far beyond the 200 ms a waiter is given during an outage.
    const journal = await runnerSixFailuresIntoAnOutage();
    journal.down = false;
    const { position } = await new EventScript().startRun('r').appendTo(store);
    await runner.waitFor(position);
    expect(await readStore.runCore('r')).toMatchObject({ runId: 'r', status: 'running' });
  });

  it('cuts retry waits short at most every 250 ms while the outage lasts, however many commands wait', async () => {
    const journal = await runnerSixFailuresIntoAnOutage();
    const before = journal.failures;
    const started = performance.now();
    const waits: Promise<unknown>[] = [];
    for (let index = 0; index < 10; index++) {
      waits.push(runner.waitFor({ commit: 1_000_000n, prepare: 1_000_000n }).catch((error: unknown) => error));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const elapsed = performance.now() - started;
    for (const error of await Promise.all(waits)) expect(error).toBeInstanceOf(Error);
    expect(journal.failures - before).toBeGreaterThanOrEqual(1);
    expect(journal.failures - before).toBeLessThanOrEqual(1 + Math.floor(elapsed / 250));
  });

  it('rejects pending waitFor calls when stopped', async () => {
    runner.start();
    const waiting = runner.waitFor({ commit: 1_000_000n, prepare: 1_000_000n });
    await runner.stop();
    await expect(waiting).rejects.toThrow('stopped');
    await expect(runner.whenCaughtUp()).rejects.toThrow('not started');
  });

  it('answers a waiter the read models do not reach in time with ReadStoreUnavailableError, naming the position', async () => {
    runner.start();
    await runner.whenCaughtUp();
    await expect(runner.waitFor({ commit: 1_000_000n, prepare: 1_000_000n })).rejects.toThrow(/did not reach position 1000000\/1000000 within 2000 ms/);
  });

  it('reports its lag behind the last Runtree event, ignoring other streams after it', async () => {
    await new EventScript().startRun('a').startRun('b').appendTo(store);
    expect(await runner.lag()).toBe(2);
    runner.start();
    await runner.whenCaughtUp();
    expect(await runner.lag()).toBe(0);
    await store.appendToStream('$publisher-checkpoint', [{ id: randomUUID(), type: 'Checkpoint', data: {} }], { expectedRevision: 'any' });
    await runner.whenCaughtUp();
    expect(await runner.lag()).toBe(0);
  });
});

describe('ProjectionRunner on durable files', () => {
  let directory: string;
  let journalPath: string;
  let readPath: string;
  const open: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'runtree-projection-'));
    journalPath = join(directory, 'runtree.db');
    readPath = join(directory, 'runtree.read.db');
  });

  afterEach(async () => {
    for (const opened of open.splice(0)) await opened.stop();
    await rm(directory, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  /** A process: its own connections to the two files, closed by `stop()`. */
  function startProcess(readStore: ReadStore = openSqliteReadStore({ path: readPath })): { store: EventStore; readStore: ReadStore; runner: ProjectionRunner; reads: RecordedEvent[] } {
    const store = openSqliteEventStore({ path: journalPath });
    const reads: RecordedEvent[] = [];
    const readAll = store.readAll.bind(store);
    jest.spyOn(store, 'readAll').mockImplementation(async (readOptions) => {
      const page = await readAll(readOptions);
      if (readOptions?.filter !== undefined && readOptions.direction !== 'backwards') reads.push(...page);
      return page;
    });
    const runner = new ProjectionRunner(store, readStore, options);
    runner.start();
    open.push({ stop: async () => (await runner.stop(), await store.close(), await readStore.close()) });
    return { store, readStore, runner, reads };
  }

  it('restarts from its stored checkpoint, reading only what was written after it', async () => {
    const first = startProcess();
    const script = new EventScript().startRun('p');
    for (let index = 0; index < 50; index++) script.spawn('p', `c${index}`, index);
    const { position } = await script.appendTo(first.store);
    await first.runner.waitFor(position);
    await open.pop()!.stop();

    const writer = openSqliteEventStore({ path: journalPath });
    const later = await new EventScript().startRun('later').appendTo(writer);
    await writer.close();

    const second = startProcess();
    await second.runner.whenCaughtUp();
    // Forward reads include their start: the checkpoint's own event (c49's start) is read again and skipped.
    expect(second.reads.map((event) => event.streamName)).toEqual(['run-c49', 'run-later']);
    expect((await second.readStore.runCore('p'))?.childCount).toBe(50);
    expect(second.runner.checkpoint).toEqual(later.position);
  });

  it('rebuilds read models that belong to another journal', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const first = startProcess();
    await first.runner.waitFor((await new EventScript().startRun('from-the-old-journal').appendTo(first.store)).position);
    await open.pop()!.stop();
    await rm(journalPath, { force: true });
    await rm(`${journalPath}-wal`, { force: true });
    await rm(`${journalPath}-shm`, { force: true });

    const second = startProcess();
    const { position } = await new EventScript().startRun('from-the-new-journal').appendTo(second.store);
    await second.runner.waitFor(position);
    expect(await second.readStore.run('from-the-old-journal')).toBeUndefined();
    expect(await second.readStore.run('from-the-new-journal')).toBeDefined();
  });
});

/** The store, except that the first catch-up read fails as if the database went away. */
/** A journal whose projection reads fail while `down` is set, counting each failure. */
function failingWhileDown(store: EventStore): { store: EventStore; down: boolean; failures: number } {
  const journal = { store: Object.create(store) as EventStore, down: true, failures: 0 };
  journal.store.readAll = async (readOptions) => {
    if (journal.down && readOptions?.direction !== 'backwards' && readOptions?.filter !== undefined) {
      journal.failures++;
      throw new StoreUnavailableError('database went away');
    }
    return store.readAll(readOptions);
  };
  return journal;
}

async function pollUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

function failingOnce(store: EventStore): { store: EventStore; failures: number } {
  const flaky = { store: Object.create(store) as EventStore, failures: 0 };
  flaky.store.readAll = async (readOptions) => {
    if (flaky.failures === 0 && readOptions?.direction !== 'backwards' && readOptions?.filter !== undefined) {
      flaky.failures++;
      throw new StoreUnavailableError('database went away');
    }
    return store.readAll(readOptions);
  };
  return flaky;
}
