import { describe, expect, it } from '@jest/globals';
import { comparePositions } from '../src/port/position.js';
import type { Position } from '../src/port/types.js';
import { SubscriptionProbe, idsOf, newEvent, uniquePrefix, type ConformanceTarget } from './support.js';

export function describeSubscribeToAllCases(target: ConformanceTarget): void {
  /** Subscribing from here sees only what is appended from now on, without scanning a shared server's history. */
  async function fromNow(): Promise<Position | 'start'> {
    return target.store.headPosition();
  }

  describe('$all subscriptions', () => {
    it('deliver the filtered events after a position, in log order, then live ones', async () => {
      const prefix = uniquePrefix();
      const before = newEvent();
      const first = await target.store.appendToStream(`${prefix}-a`, [before], { expectedRevision: 'no_stream' });
      const stored = [newEvent(), newEvent()];
      await target.store.appendToStream(`${prefix}-b`, [stored[0]], { expectedRevision: 'no_stream' });
      await target.store.appendToStream(`${uniquePrefix()}-elsewhere`, [newEvent()], { expectedRevision: 'no_stream' });
      await target.store.appendToStream(`${prefix}-a`, [stored[1]], { expectedRevision: 0n });
      const probe = new SubscriptionProbe(
        target.store.subscribeToAll({ fromPosition: first.position, filter: { streamNamePrefixes: [prefix] } }),
      );
      await probe.untilCaughtUp();
      const live = newEvent();
      await target.store.appendToStream(`${prefix}-c`, [live], { expectedRevision: 'no_stream' });
      await probe.untilEvents(3);
      await probe.stop();
      expect(idsOf(probe.events)).toEqual(idsOf([...stored, live]));
    });

    it('from the end: only what is appended afterwards', async () => {
      const prefix = uniquePrefix();
      await target.store.appendToStream(prefix, [newEvent()], { expectedRevision: 'no_stream' });
      const probe = new SubscriptionProbe(target.store.subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } }));
      await probe.untilCaughtUp();
      const live = newEvent();
      await target.store.appendToStream(prefix, [live], { expectedRevision: 0n });
      await probe.untilEvents(1);
      await probe.stop();
      expect(idsOf(probe.events)).toEqual([live.id]);
    });

    it('filter by event type prefix', async () => {
      const prefix = uniquePrefix();
      const typePrefix = `Type${prefix.replaceAll('-', '')}`;
      const probe = new SubscriptionProbe(target.store.subscribeToAll({ fromPosition: await fromNow(), filter: { eventTypePrefixes: [typePrefix] } }));
      const kept = [newEvent(`${typePrefix}Started`), newEvent(`${typePrefix}Ended`)];
      await target.store.appendToStream(prefix, [kept[0], newEvent('Unrelated'), kept[1]], { expectedRevision: 'no_stream' });
      await probe.untilEvents(2);
      await probe.stop();
      expect(idsOf(probe.events)).toEqual(idsOf(kept));
    });

    it('never deliver system events', async () => {
      const prefix = uniquePrefix();
      const probe = new SubscriptionProbe(
        target.store.subscribeToAll({ fromPosition: await fromNow(), filter: { streamNamePrefixes: [prefix, `$$${prefix}`] } }),
      );
      await target.store.setStreamMetadata(prefix, { maxCount: 3 });
      const event = newEvent();
      await target.store.appendToStream(prefix, [event], { expectedRevision: 'no_stream' });
      await probe.untilEvents(1);
      await probe.expectNoEventFor(200);
      await probe.stop();
      expect(probe.events.map((recorded) => recorded.type)).toEqual([event.type]);
    });

    it('send checkpoints that never go backwards, interleaved in order with the events', async () => {
      const prefix = uniquePrefix();
      const start = await fromNow();
      const kept: string[] = [];
      for (let index = 0; index < 40; index += 1) {
        const matching = index % 8 === 0;
        const event = newEvent();
        if (matching) kept.push(event.id);
        await target.store.appendToStream(matching ? `${prefix}-kept` : `${prefix}-skipped`, [event], { expectedRevision: 'any' });
      }
      const probe = new SubscriptionProbe(
        target.store.subscribeToAll({ fromPosition: start, filter: { streamNamePrefixes: [`${prefix}-kept`] }, checkpointInterval: 4 }),
      );
      await probe.until((received) => received.events.length === kept.length && received.count('checkpoint') > 0);
      await probe.stop();
      expect(idsOf(probe.events)).toEqual(kept);
      let last: Position | undefined;
      for (const message of probe.received) {
        const position = message.type === 'event' ? message.event.position : message.type === 'checkpoint' ? message.position : undefined;
        if (position === undefined) continue;
        if (last !== undefined) {
          // An event follows the checkpoints before it; checkpoints never step back.
          expect(comparePositions(position, last)).toBeGreaterThanOrEqual(message.type === 'checkpoint' ? 0 : 1);
        }
        last = position;
      }
    });

    it('send a checkpoint past the log read even when no event matches', async () => {
      const prefix = uniquePrefix();
      const start = await fromNow();
      const unrelated = await target.store.appendToStream(`${prefix}-other`, [newEvent()], { expectedRevision: 'no_stream' });
      const probe = new SubscriptionProbe(
        // The default interval (32) is not reached by one event: the checkpoint is the one sent on catching up.
        target.store.subscribeToAll({ fromPosition: start, filter: { streamNamePrefixes: [`${prefix}-wanted`] } }),
      );
      await probe.until((received) =>
        received.received.some((message) => message.type === 'checkpoint' && comparePositions(message.position, unrelated.position) >= 0),
      );
      await probe.stop();
      expect(probe.events).toEqual([]);
    });

    it('end cleanly on stop() while waiting for live events', async () => {
      const prefix = uniquePrefix();
      const subscription = target.store.subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } });
      const probe = new SubscriptionProbe(subscription);
      await probe.untilCaughtUp();
      const waiting = probe.until(() => false, 2000).then(
        () => 'unexpected',
        (error: Error) => error.message,
      );
      await subscription.stop();
      expect(await waiting).toMatch(/ended early/);
    });
  });
}
