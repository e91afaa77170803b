import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Position } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { openOrchestrator, sqliteMemoryTarget, type StartedOrchestrator } from '../../../../test/support/orchestrator-targets.js';
import { READ_STORE } from '../module/tokens.js';
import { PublicationFeed, type PublicationMessage } from './publication-feed.js';

type EventMessage = Extract<PublicationMessage, { type: 'event' }>;

/** The events of the log after `from`, as the feed gives them, up to both runs' completion; then the subscription stops. */
async function eventsUntilBothCompleted(feed: PublicationFeed, from: Position | 'start'): Promise<EventMessage[]> {
  const subscription = feed.subscribe(from);
  const events: EventMessage[] = [];
  for await (const message of subscription) {
    if (message.type === 'event') events.push(message);
    if (events.filter((event) => event.entry.type === 'RunCompleted').length === 2) break;
  }
  await subscription.stop();
  return events;
}

describe('PublicationFeed', () => {
  let started: StartedOrchestrator;
  let lookups: ReturnType<typeof jest.spyOn>;

  beforeEach(async () => {
    started = await openOrchestrator(sqliteMemoryTarget);
    lookups = jest.spyOn(started.moduleRef.get<ReadStore>(READ_STORE), 'runCore');
  });

  afterEach(async () => {
    await started.close();
  });

  it("gives every run event its run's kind, looking up only the runs whose start it did not see", async () => {
    const { orchestrator } = started;
    const parent = await orchestrator.startRun({ kind: 'planner' });
    const child = await orchestrator.spawn(parent.runId, { kind: 'coder' });
    await orchestrator.completeRun(child.run.runId, { ok: true });
    await orchestrator.completeRun(parent.runId, { ok: true });
    const feed = started.moduleRef.get(PublicationFeed);

    const everything = await eventsUntilBothCompleted(feed, 'start');
    expect(everything.map((message) => [message.entry.type, message.runKind])).toEqual([
      ['RunStarted', 'planner'],
      ['ChildSpawned', 'planner'],
      ['RunStarted', 'coder'],
      ['RunCompleted', 'coder'],
      ['RunCompleted', 'planner'],
    ]);
    expect(lookups).not.toHaveBeenCalled();

    // From after both starts: each run's kind is read once, then remembered.
    const afterStarts = everything.filter((message) => message.entry.type === 'RunStarted').at(-1)!.position;
    const later = await eventsUntilBothCompleted(feed, afterStarts);
    expect(later.filter((message) => message.entry.type === 'RunCompleted').map((message) => message.runKind).sort()).toEqual(['coder', 'planner']);
    expect(later.every((message) => message.runKind !== undefined || !message.entry.streamName.startsWith('run-'))).toBe(true);
    expect(lookups).toHaveBeenCalledTimes(2);
  });
});
