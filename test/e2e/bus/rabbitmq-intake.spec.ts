import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import amqplib from 'amqplib';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, type RunPage } from '@runtree/orchestration';
import { busNames } from '../../../apps/runtree/src/bus/index.js';
import { RABBITMQ_COMMAND_PREFETCH } from '../../../apps/runtree/src/bus/bus-transports.js';
import {
  brokersAvailable,
  busConfig,
  deleteRabbitmqResources,
  rabbitmqCaller,
  rabbitmqUrl,
  startBusApp,
  uniquePrefix,
  type BusCaller,
} from './bus-harness.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

type Value = Record<string, unknown>;

/** Messages of the command queue not yet delivered to a consumer. */
async function readyCommands(prefix: string): Promise<number> {
  const connection = await amqplib.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(busNames(prefix).rabbitmqCommandQueue)).messageCount;
  } finally {
    await connection.close();
  }
}

describeWithBrokers('bus intake on RabbitMQ', () => {
  const prefix = uniquePrefix();
  let app: INestApplication;
  let bus: BusCaller;

  beforeAll(async () => {
    app = await startBusApp(busConfig(prefix, ':memory:', { rabbitmq: true }));
    bus = await rabbitmqCaller(prefix);
  });

  afterAll(async () => {
    await bus?.close();
    await app?.close();
    await deleteRabbitmqResources(prefix);
  });

  it('serves the main operations: start, spawn, delegate, complete, await, status, collect, cancel', async () => {
    const run = await bus.value('run.start', { kind: 'agent' });
    const spawned = await bus.value<{ run: Value }>('run.spawn', { parent: run.runId, kind: 'helper' });
    const delegated = await bus.value('run.delegate', { parent: { runId: run.runId }, task: 'summarise' });

    expect(await bus.value('run.complete', { runId: delegated.runId, output: 'summary' })).toMatchObject({ status: 'completed' });
    expect(await bus.value('run.await', { runId: delegated.runId, timeoutMs: 1_000 })).toMatchObject({ status: 'completed', output: 'summary' });
    expect(await bus.value('run.status', { runId: run.runId })).toMatchObject({ run: { status: 'running' } });
    expect(await bus.value('run.collect', { runId: run.runId })).toMatchObject({ children: [{ run: { runId: spawned.run.runId } }, { run: { runId: delegated.runId } }] });
    expect(await bus.value('run.cancel', { runId: run.runId })).toMatchObject({ cancelled: expect.arrayContaining([run.runId, spawned.run.runId]) });
    // Every command was acknowledged once served: nothing waits in the queue.
    expect(await readyCommands(prefix)).toBe(0);
  });

  it('lists runs with run.list: a tree by its root, newest first, two pages, and an error reply naming a bad filter', async () => {
    const root = await bus.value('run.start', { kind: 'listed-root' });
    const children: string[] = [];
    for (let index = 0; index < 3; index++) children.push(String((await bus.value<{ run: Value }>('run.spawn', { parent: root.runId, kind: 'listed-child' })).run.runId));

    const first = await bus.value<RunPage>('run.list', { rootRunId: root.runId, limit: 2, include: ['metadata'] });
    expect(first.runs.map((run) => run.runId)).toEqual([children[2], children[1]]);
    expect(first.runs[0]).toMatchObject({ kind: 'listed-child', parentRunId: root.runId, metadata: { orchestrator: expect.objectContaining({ parentRunId: root.runId }) } });
    const second = await bus.value<RunPage>('run.list', { rootRunId: root.runId, limit: 2, cursor: first.nextCursor });
    expect(second.runs.map((run) => run.runId)).toEqual([children[0], root.runId]);
    expect(second.nextCursor).toBeUndefined();

    expect(await bus.call('run.list', { rootRunId: root.runId, createdAfter: 'last week' })).toEqual({
      ok: false,
      error: { code: 'invalid_option', message: expect.stringContaining('createdAfter'), details: expect.objectContaining({ field: 'createdAfter' }) },
    });
    expect(await readyCommands(prefix)).toBe(0);
  });

  it('acknowledges every command it served: more commands than the prefetch window go through', async () => {
    const run = await bus.value('run.start', {});
    for (let served = 0; served < RABBITMQ_COMMAND_PREFETCH + 10; served++) {
      expect(await bus.call('run.status', { runId: run.runId }, 2_000)).toMatchObject({ ok: true });
    }
  });

  it('answers errors as replies: an unknown run, a malformed payload', async () => {
    expect(await bus.call('run.await', { runId: 'nobody', timeoutMs: 10 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await bus.call('run.fail', { runId: 'r' })).toMatchObject({ ok: false, error: { code: 'invalid_option', details: { field: 'error' } } });
  });

  it('applies a redelivered command once: the same commandId starts one run with one RunStarted', async () => {
    const command = { commandId: `${prefix}-start-once` };
    const [first, second] = await Promise.all([bus.value('run.start', command), bus.value('run.start', command)]);

    expect(second.runId).toBe(first.runId);
    const journal = await app.get<EventStore>(EVENT_STORE).readStream(`run-${String(first.runId)}`);
    expect(journal.map((event) => event.type)).toEqual(['RunStarted']);
  });
});

/** A consumer of the command queue that dies holding the first command it gets, unacknowledged. */
async function crashWithFirstCommand(prefix: string): Promise<{ crashed: Promise<void> }> {
  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  let crash: () => void = () => undefined;
  const crashed = new Promise<void>((resolve) => (crash = resolve));
  await channel.consume(busNames(prefix).rabbitmqCommandQueue, (message) => {
    if (message !== null) void connection.close().then(crash);
  }, { noAck: false });
  return { crashed };
}

describeWithBrokers('a RabbitMQ command whose consumer dies before acknowledging it', () => {
  const prefix = uniquePrefix();
  let app: INestApplication | undefined;
  let bus: BusCaller;

  beforeAll(async () => {
    bus = await rabbitmqCaller(prefix);
  });

  afterAll(async () => {
    await bus?.close();
    await app?.close();
    await deleteRabbitmqResources(prefix);
  });

  it('is redelivered to the next instance, whose reply reaches the caller', async () => {
    const { crashed } = await crashWithFirstCommand(prefix);
    const started = bus.call<Value>('run.start', { kind: 'survivor', commandId: `${prefix}-survivor` });
    await crashed;

    app = await startBusApp(busConfig(prefix, ':memory:', { rabbitmq: true }));
    const reply = await started;
    expect(reply).toMatchObject({ ok: true, value: { kind: 'survivor', status: 'running' } });
    const runId = reply.ok ? String(reply.value.runId) : '';
    expect((await app.get<EventStore>(EVENT_STORE).readStream(`run-${runId}`)).map((event) => event.type)).toEqual(['RunStarted']);
  });
});
