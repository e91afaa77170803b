import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore, StoreUnavailableError, type EventStore, type SqliteEventStore } from '@runtree/event-store';
import { ProjectionRunner } from './projection-runner.js';
import { EventScript, eventMetadata } from './testing/event-script.js';

describe('ProjectionRunner', () => {
  let store: SqliteEventStore;
  let runner: ProjectionRunner;

  beforeEach(() => {
    store = openSqliteEventStore({ path: ':memory:' });
    runner = new ProjectionRunner(store);
  });

  afterEach(async () => {
    await runner.stop();
    await store.close();
    jest.restoreAllMocks();
  });

  it('applies what was written before and after start, and waitFor gives read-your-writes', async () => {
    await new EventScript().startRun('before').appendTo(store);
    runner.start();
    await runner.whenCaughtUp();
    expect(runner.readModels.getRun('before')).toBeDefined();

    const { position } = await new EventScript().startRun('p').spawn('p', 'c', 0).appendTo(store);
    await runner.waitFor(position);
    expect(runner.readModels.getRun('p')?.childIds).toEqual(['c']);
    expect(runner.checkpoint).toEqual(position);
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
    expect(runner.readModels.getRun('good')).toBeDefined();
    expect(runner.readModels.getRun('bad')).toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('run-bad@0'));
  });

  it('clear forgets the models and follows on from the end of the log', async () => {
    runner.start();
    const { position } = await new EventScript().startRun('old').appendTo(store);
    await runner.waitFor(position);

    await runner.clear();
    expect(runner.readModels.runCount).toBe(0);
    expect(runner.checkpoint).toEqual(await store.headPosition());

    const next = await new EventScript().onRun('old', 'RunCompleted', {}).startRun('new').appendTo(store);
    await runner.waitFor(next.position);
    expect(runner.readModels.getRun('old')).toBeUndefined();
    expect(runner.readModels.getRun('new')).toBeDefined();
  });

  it('rebuild replays the journal into models identical to the live ones', async () => {
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
    const live = runner.readModels.snapshot();

    await runner.clear();
    expect(runner.readModels.runCount).toBe(0);
    await runner.rebuild();
    expect(runner.readModels.snapshot()).toEqual(live);
    expect(runner.checkpoint).toEqual(position);
  });

  it('runs concurrent clear and rebuild one after the other', async () => {
    runner.start();
    await runner.waitFor((await new EventScript().startRun('p').spawn('p', 'c', 0).appendTo(store)).position);
    const live = runner.readModels.snapshot();
    await Promise.all([runner.clear(), runner.rebuild()]);
    expect(runner.readModels.snapshot()).toEqual(live);
    expect(runner.isRunning).toBe(true);
  });

  it('retries when the store fails and resumes from its checkpoint without gaps or repeats', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const flaky = failingOnce(store);
    runner = new ProjectionRunner(flaky.store);
    runner.start();
    const script = new EventScript().startRun('r');
    for (let index = 0; index < 20; index++) script.onRun('r', 'StepStarted', { stepId: `s${index}`, name: 'n', kind: 'k' });
    const { position } = await script.appendTo(store);
    await runner.waitFor(position);
    expect(flaky.failures).toBe(1);
    expect(runner.readModels.getRun('r')?.steps.map((step) => step.stepId)).toEqual(script.events.slice(1).map((_, index) => `s${index}`));
  });

  it('rejects pending waitFor calls when stopped', async () => {
    runner.start();
    const waiting = runner.waitFor({ commit: 1_000_000n, prepare: 1_000_000n });
    await runner.stop();
    await expect(waiting).rejects.toThrow('stopped');
    await expect(runner.whenCaughtUp()).rejects.toThrow('not started');
  });

  it('reports its lag behind the head of the log', async () => {
    await new EventScript().startRun('a').startRun('b').appendTo(store);
    expect(await runner.lag()).toBe(2);
    runner.start();
    await runner.whenCaughtUp();
    expect(await runner.lag()).toBe(0);
  });
});

/** The store, except that the first catch-up read fails as if the database went away. */
function failingOnce(store: EventStore): { store: EventStore; failures: number } {
  const flaky = { store: Object.create(store) as EventStore, failures: 0 };
  flaky.store.readAll = async (options) => {
    if (flaky.failures === 0) {
      flaky.failures++;
      throw new StoreUnavailableError('database went away');
    }
    return store.readAll(options);
  };
  return flaky;
}
