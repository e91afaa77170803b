import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator, OrchestratorModule, type JournalEntry } from '@runtree/orchestration';
import { busNames } from '../../../apps/runtree/src/bus/index.js';
import {
  brokersAvailable,
  busConfig,
  deleteRabbitmqResources,
  natsEventListener,
  rabbitmqEventListener,
  startBusApp,
  uniquePrefix,
  type EventListener,
} from './bus-harness.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

/** Writes to the journal while no instance publishes: the events the publisher must catch up on. */
async function appendWithoutBus(sqlitePath: string): Promise<void> {
  @Module({ imports: [OrchestratorModule.forRoot({ store: { kind: 'sqlite', path: sqlitePath } })] })
  class StoreOnlyModule {}
  const app = await NestFactory.createApplicationContext(StoreOnlyModule, { logger: false });
  const orchestrator = app.get(Orchestrator);
  const parent = await orchestrator.startRun({ kind: 'offline' });
  const child = await orchestrator.delegate(parent.runId, { question: 'while nobody listened' });
  await orchestrator.completeRun(child.runId, 'answered');
  await orchestrator.openSession({ sessionId: `session-of-${parent.runId}` });
  await app.close();
}

async function runtreeEventIds(store: EventStore): Promise<string[]> {
  const events = await store.readAll({ filter: { streamNamePrefixes: ['run-', 'session-', 'thread-'] } });
  return events.map((event) => event.id);
}

const idsOf = (received: readonly JournalEntry[]) => received.map((event) => event.eventId);

describeWithBrokers('event publication across a restart', () => {
  const prefix = uniquePrefix();
  const directory = mkdtempSync(join(tmpdir(), 'runtree-bus-'));
  const config = busConfig(prefix, join(directory, 'runtree.db'));
  let onNats: EventListener;
  let onRabbitmq: EventListener;
  let onOnlineRuns: EventListener;

  beforeAll(async () => {
    onNats = await natsEventListener(`${prefix}.events.>`);
    onOnlineRuns = await natsEventListener(`${prefix}.events.*.online`);
    onRabbitmq = await rabbitmqEventListener(prefix, `${prefix}.events.#`);
  });

  afterAll(async () => {
    await Promise.all([onNats?.close(), onRabbitmq?.close(), onOnlineRuns?.close()]);
    await deleteRabbitmqResources(prefix);
    rmSync(directory, { recursive: true, force: true });
  });

  it('resumes after the saved checkpoint: the events appended meanwhile arrive, none is missing, none repeats', async () => {
    const first = await startBusApp(config);
    let publishedBefore: string[] = [];
    let openRunId = '';
    try {
      const run = await first.get(Orchestrator).startRun({ kind: 'online' });
      openRunId = (await first.get(Orchestrator).startRun({ kind: 'online' })).runId;
      await first.get(Orchestrator).completeRun(run.runId, 'done');
      publishedBefore = await runtreeEventIds(first.get<EventStore>(EVENT_STORE));
      await onNats.until((received) => received.length === publishedBefore.length);
      await onRabbitmq.until((received) => received.length === publishedBefore.length);
    } finally {
      await first.close();
    }

    await appendWithoutBus(config.sqlitePath);

    const second = await startBusApp(config);
    try {
      const all = await runtreeEventIds(second.get<EventStore>(EVENT_STORE));
      expect(all.length).toBeGreaterThan(publishedBefore.length + 4);
      await onNats.until((received) => received.length >= all.length);
      await onRabbitmq.until((received) => received.length >= all.length);
      // Give a republication from the start, were the checkpoint ignored, the time to show.
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(idsOf(onNats.received)).toEqual(all);
      expect(idsOf(onRabbitmq.received)).toEqual(all);
      const checkpoints = await second.get<EventStore>(EVENT_STORE).readStream(busNames(prefix).publisherCheckpointStream);
      expect(checkpoints.length).toBeGreaterThan(0);

      // A run started before the checkpoint: its later events still carry its kind in their subject.
      await second.get(Orchestrator).completeRun(openRunId, 'done after the restart');
      await onOnlineRuns.until((received) => received.some((event) => event.type === 'RunCompleted' && event.streamName === `run-${openRunId}`));
    } finally {
      await second.close();
    }
  });
});
