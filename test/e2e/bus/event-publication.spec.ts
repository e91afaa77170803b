import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { JournalEntry } from '@runtree/orchestration';
import { busNames } from '../../../apps/runtree/src/bus/index.js';
import { BrokerHealth } from '../../../apps/runtree/src/ops/index.js';
import {
  brokersAvailable,
  busConfig,
  deleteRabbitmqResources,
  natsCaller,
  natsEventListener,
  rabbitmqCaller,
  rabbitmqEventListener,
  startBusApp,
  uniquePrefix,
  type BusCaller,
  type EventListener,
} from './bus-harness.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

type Value = Record<string, unknown>;

/** A worker that takes each delegated task it hears of and completes it through the bus. */
function completeDelegatedTasks(events: EventListener, bus: BusCaller, answer: (task: unknown) => unknown): () => Promise<void> {
  const done = new Set<string>();
  return async () => {
    for (const event of events.received) {
      const { childRunId, task } = event.data as { childRunId: string; task: unknown };
      if (event.type !== 'ChildDelegated' || done.has(childRunId)) continue;
      done.add(childRunId);
      await bus.value('run.complete', { runId: childRunId, output: answer(task), commandId: `complete-${childRunId}` });
    }
  };
}

describeWithBrokers('event publication', () => {
  const prefix = uniquePrefix();
  const names = busNames(prefix);
  let app: INestApplication;
  let natsBus: BusCaller;
  let rabbitmqBus: BusCaller;
  let natsDelegations: EventListener;
  let rabbitmqDelegations: EventListener;
  let everything: EventListener;
  let reviewers: EventListener;

  beforeAll(async () => {
    // Subscribed before anything is published: plain NATS subjects keep nothing for late subscribers.
    // A worker hears of the delegations of its parents' kind only: the kind is the subject's last token.
    natsDelegations = await natsEventListener(names.eventSubject('ChildDelegated', 'researcher'));
    rabbitmqDelegations = await rabbitmqEventListener(prefix, names.eventSubject('ChildDelegated', 'researcher'));
    everything = await rabbitmqEventListener(prefix, `${prefix}.events.#`);
    reviewers = await natsEventListener(names.eventSubject('*', 'code.review'));
    app = await startBusApp(busConfig(prefix));
    natsBus = await natsCaller(prefix);
    rabbitmqBus = await rabbitmqCaller(prefix);
  });

  afterAll(async () => {
    await Promise.all([natsBus?.close(), rabbitmqBus?.close(), natsDelegations?.close(), rabbitmqDelegations?.close(), everything?.close(), reviewers?.close()]);
    await app?.close();
    await deleteRabbitmqResources(prefix);
  });

  it("hands a delegated task to a NATS worker, whose answer through the bus resolves the parent's await", async () => {
    const parent = await natsBus.value('run.start', { kind: 'researcher' });
    const child = await natsBus.value('run.delegate', { parent: parent.runId, task: { question: 'nats?' } });
    const awaited = natsBus.value('run.await', { runId: child.runId, timeoutMs: 10_000 });

    await natsDelegations.until((received) => received.some((event) => (event.data as Value).childRunId === child.runId));
    await completeDelegatedTasks(natsDelegations, natsBus, (task) => ({ answer: (task as Value).question }))();

    expect(await awaited).toMatchObject({ status: 'completed', output: { answer: 'nats?' } });
  });

  it('hands a delegated task to a RabbitMQ worker the same way', async () => {
    const parent = await rabbitmqBus.value('run.start', { kind: 'researcher' });
    const child = await rabbitmqBus.value('run.delegate', { parent: parent.runId, task: 'rabbit?' });
    const awaited = rabbitmqBus.value('run.await', { runId: child.runId, timeoutMs: 10_000 });

    await rabbitmqDelegations.until((received) => received.some((event) => (event.data as Value).childRunId === child.runId));
    await completeDelegatedTasks(rabbitmqDelegations, rabbitmqBus, (task) => `answered ${String(task)}`)();

    expect(await awaited).toMatchObject({ status: 'completed', output: 'answered rabbit?' });
  });

  it('publishes each event once per subscriber, in log order, under its type, as a journal entry', async () => {
    const run = await natsBus.value('run.start', { kind: 'ordered' });
    await natsBus.value('run.complete', { runId: run.runId, output: 1 });
    const ofRun = (received: readonly JournalEntry[]) => received.filter((event) => event.streamName === `run-${String(run.runId)}`);
    await everything.until((received) => ofRun(received).length === 2);

    expect(ofRun(everything.received)).toEqual([
      expect.objectContaining({ type: 'RunStarted', revision: '0', data: expect.objectContaining({ runId: run.runId }), eventId: expect.any(String) }),
      expect.objectContaining({ type: 'RunCompleted', revision: '1', data: { output: 1 } }),
    ]);
    const eventIds = everything.received.map((event) => event.eventId);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    const positions = everything.received.map((event) => event.position.split('/').map(BigInt));
    expect(positions.every((position, index) => index === 0 || position[0] > positions[index - 1][0])).toBe(true);
  });

  it("publishes a run's events under its kind, so a subscriber to one kind hears no other (a dotted kind is one token)", async () => {
    expect(names.eventSubject('RunStarted', 'code.review')).toBe(`${prefix}.events.RunStarted.code~2Ereview`);
    const other = await natsBus.value('run.start', { kind: 'code' });
    const review = await natsBus.value('run.start', { kind: 'code.review' });
    await natsBus.value('run.complete', { runId: other.runId });
    await natsBus.value('run.complete', { runId: review.runId });
    await natsBus.value('session.open', {});
    await reviewers.until((received) => received.some((event) => event.type === 'RunCompleted'));
    await everything.until((received) => received.some((event) => event.type === 'SessionOpened'));

    expect(reviewers.received.map((event) => [event.type, event.streamName])).toEqual([
      ['RunStarted', `run-${String(review.runId)}`],
      ['RunCompleted', `run-${String(review.runId)}`],
    ]);
  });

  // Last: by now events have gone out and commands came in, so every connection is surely open.
  it("reports each broker connection to /health, the publisher's and the command intake's", async () => {
    const probes = app.get(BrokerHealth).registered;
    expect([...probes.keys()].sort()).toEqual(['nats', 'nats-intake', 'rabbitmq', 'rabbitmq-intake']);
    expect(await Promise.all([...probes.values()].map((probe) => probe()))).toEqual([true, true, true, true]);
  });
});
