import { describe, expect, it } from '@jest/globals';
import type { SubscriptionMessage } from '../src/port/types.js';
import {
  SUBSCRIPTION_DEADLINE_MS,
  SubscriptionProbe,
  eventually,
  idsOf,
  newEvent,
  newEvents,
  revisionsOf,
  sleep,
  uniquePrefix,
  withDeadline,
  type ConformanceTarget,
} from './support.js';

function kinds(messages: readonly SubscriptionMessage[]): string[] {
  return messages.map((message) => message.type);
}

export function describeStreamSubscriptionCases(target: ConformanceTarget): void {
  describe('stream subscriptions', () => {
    it('from the start: the stored events, caught_up, then live events', async () => {
      const stream = uniquePrefix();
      const stored = newEvents(3);
      await target.store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });
      const probe = new SubscriptionProbe(target.store.subscribeToStream(stream));
      await probe.untilCaughtUp();
      const live = newEvents(2);
      await target.store.appendToStream(stream, live, { expectedRevision: 2n });
      await probe.untilEvents(5);
      await probe.stop();
      expect(kinds(probe.received)).toEqual(['event', 'event', 'event', 'caught_up', 'event', 'event']);
      expect(idsOf(probe.events)).toEqual(idsOf([...stored, ...live]));
    });

    it('from a revision: only the events after it', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(5), { expectedRevision: 'no_stream' });
      const probe = new SubscriptionProbe(target.store.subscribeToStream(stream, { fromRevision: 2n }));
      await probe.untilCaughtUp();
      await probe.stop();
      expect(revisionsOf(probe.events)).toEqual([3n, 4n]);
    });

    it('from the end: caught_up, then only what is appended afterwards', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(3), { expectedRevision: 'no_stream' });
      const probe = new SubscriptionProbe(target.store.subscribeToStream(stream, { fromRevision: 'end' }));
      await probe.untilCaughtUp();
      const live = newEvent();
      await target.store.appendToStream(stream, [live], { expectedRevision: 2n });
      await probe.untilEvents(1);
      await probe.stop();
      expect(kinds(probe.received)).toEqual(['caught_up', 'event']);
      expect(probe.events[0].id).toBe(live.id);
      expect(probe.events[0].revision).toBe(3n);
    });

    it('to a stream that does not exist yet: caught_up, then its first events', async () => {
      const stream = uniquePrefix();
      const probe = new SubscriptionProbe(target.store.subscribeToStream(stream));
      await probe.untilCaughtUp();
      const first = newEvents(2);
      await target.store.appendToStream(stream, first, { expectedRevision: 'no_stream' });
      await probe.untilEvents(2);
      await probe.stop();
      expect(idsOf(probe.events)).toEqual(idsOf(first));
    });

    it('delivers appends made while it catches up exactly once, in order, with one caught_up', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(50), { expectedRevision: 'no_stream' });
      const probe = new SubscriptionProbe(target.store.subscribeToStream(stream));
      const appending = (async () => {
        for (let revision = 49n; revision < 99n; revision += 10n) {
          await target.store.appendToStream(stream, newEvents(10), { expectedRevision: revision });
        }
      })();
      await probe.untilEvents(20);
      await appending;
      await probe.untilEvents(100);
      await probe.untilCaughtUp();
      await probe.expectNoEventFor(200);
      await probe.stop();
      expect(revisionsOf(probe.events)).toEqual(Array.from({ length: 100 }, (_, index) => BigInt(index)));
      expect(probe.count('caught_up')).toBe(1);
    });

    it('lets a slow consumer miss nothing while many events are appended', async () => {
      const stream = uniquePrefix();
      const subscription = target.store.subscribeToStream(stream);
      const received: bigint[] = [];
      const consuming = (async () => {
        for await (const message of subscription) {
          if (message.type !== 'event') continue;
          received.push(message.event.revision);
          await sleep(2);
          if (received.length === 200) break;
        }
      })();
      let expected: bigint | 'no_stream' = 'no_stream';
      for (let batch = 0; batch < 20; batch += 1) {
        expected = (await target.store.appendToStream(stream, newEvents(10), { expectedRevision: expected })).nextExpectedRevision;
      }
      try {
        await withDeadline(consuming, 10_000, () => `only ${received.length} events received`);
      } finally {
        await subscription.stop();
      }
      expect(received).toEqual(Array.from({ length: 200 }, (_, index) => BigInt(index)));
    });

    it('ends its loop cleanly on stop()', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const subscription = target.store.subscribeToStream(stream);
      const seen: string[] = [];
      const loop = (async () => {
        for await (const message of subscription) seen.push(message.type);
        return 'finished';
      })();
      await eventually(() => seen.includes('caught_up'), SUBSCRIPTION_DEADLINE_MS, () => `received only ${seen.join(', ')}`);
      await subscription.stop();
      await expect(withDeadline(loop, 2000, () => 'the loop still runs')).resolves.toBe('finished');
      expect(seen).toEqual(['event', 'caught_up']);
    });

    it('ends cleanly when the consumer breaks out of the loop', async () => {
      const stream = uniquePrefix();
      await target.store.appendToStream(stream, newEvents(3), { expectedRevision: 'no_stream' });
      const received: bigint[] = [];
      const subscription = target.store.subscribeToStream(stream);
      const loop = (async () => {
        for await (const message of subscription) {
          if (message.type === 'event') received.push(message.event.revision);
          if (received.length === 2) break;
        }
      })();
      try {
        await withDeadline(loop, SUBSCRIPTION_DEADLINE_MS, () => `the loop still runs after ${received.length} events`);
      } finally {
        await subscription.stop();
      }
      expect(received).toEqual([0n, 1n]);
      const next = await target.store.appendToStream(stream, [newEvent()], { expectedRevision: 2n });
      expect(next.nextExpectedRevision).toBe(3n);
    });
  });
}
