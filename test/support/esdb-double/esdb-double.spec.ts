import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  START,
  StreamDeletedError,
  streamNameFilter,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { startEsdbDouble, type EsdbDouble } from './index.js';

const unique = (prefix: string) => `${prefix}-${randomUUID()}`;
const event = (type: string, data: Record<string, unknown> = {}, id = randomUUID()) => jsonEvent({ id, type, data });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function readTypes(client: EventStoreDBClient, stream: string): Promise<string[]> {
  return (await collect(client.readStream(stream))).map((resolved) => resolved.event?.type ?? '?');
}

/** Reads a subscription until `count` events arrived, recording the order of events and signals. */
async function takeEvents(
  subscription: AsyncIterable<ResolvedEvent> & { on(event: string, listener: () => void): unknown; unsubscribe(): Promise<void> },
  count: number,
): Promise<{ events: ResolvedEvent[]; signals: string[] }> {
  const signals: string[] = [];
  subscription.on('confirmation', () => signals.push('confirmation'));
  subscription.on('caughtUp', () => signals.push('caught_up'));
  const events: ResolvedEvent[] = [];
  for await (const resolved of subscription) {
    events.push(resolved);
    signals.push(`event:${resolved.event?.type}`);
    if (events.length === count) break;
  }
  await subscription.unsubscribe();
  return { events, signals };
}

describe.each([
  { path: 'BatchAppend', batchAppend: true },
  { path: 'Append', batchAppend: false },
])('EventStoreDB double on the $path path', ({ batchAppend }) => {
  let double: EsdbDouble;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    double = await startEsdbDouble({ batchAppend });
    client = EventStoreDBClient.connectionString(double.connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await double.stop();
  });

  it('serves appends through the path the client chose', async () => {
    const before = { append: double.calls.append, batchAppend: double.calls.batchAppend };
    await client.appendToStream(unique('path'), event('Probed'));
    if (batchAppend) {
      expect(double.calls.batchAppend).toBeGreaterThan(before.batchAppend);
      expect(double.calls.append).toBe(before.append);
    } else {
      expect(double.calls.append).toBe(before.append + 1);
      expect(double.calls.batchAppend).toBe(0);
    }
  });

  it('appends with revisions from 0 and growing, non-contiguous positions', async () => {
    const stream = unique('order');
    const first = await client.appendToStream(stream, [event('A'), event('B')], { expectedRevision: 'no_stream' });
    const second = await client.appendToStream(stream, event('C'), { expectedRevision: 1n });
    expect(first.nextExpectedRevision).toBe(1n);
    expect(second.nextExpectedRevision).toBe(2n);
    expect(second.position!.commit - first.position!.commit).toBeGreaterThan(1n);

    const read = await collect(client.readStream(stream));
    expect(read.map((resolved) => [resolved.event?.revision, resolved.event?.type])).toEqual([
      [0n, 'A'],
      [1n, 'B'],
      [2n, 'C'],
    ]);
    expect(read[2].event?.position).toEqual(second.position);
    expect(read[1].event?.position).toEqual(first.position);
  });

  it('round-trips id, data, metadata, content type and created', async () => {
    const stream = unique('roundtrip');
    const id = randomUUID();
    const before = Date.now();
    await client.appendToStream(stream, jsonEvent({ id, type: 'Typed', data: { n: 1 }, metadata: { m: true } }));
    const [resolved] = await collect(client.readStream(stream));
    expect(resolved.event).toMatchObject({ id, type: 'Typed', data: { n: 1 }, metadata: { m: true }, isJson: true });
    expect(resolved.event!.created.getTime()).toBeGreaterThanOrEqual(before);
    expect(resolved.event!.created.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a wrong expected revision with WrongExpectedVersionError and writes nothing', async () => {
    const stream = unique('wev');
    await client.appendToStream(stream, event('A'));
    const refusals = [
      client.appendToStream(stream, event('B'), { expectedRevision: 5n }),
      client.appendToStream(stream, event('B'), { expectedRevision: 'no_stream' }),
      client.appendToStream(unique('absent'), event('B'), { expectedRevision: 'stream_exists' }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await readTypes(client, stream)).toEqual(['A']);
  });

  it('reports expected and actual revisions in WrongExpectedVersionError', async () => {
    const stream = unique('wev-detail');
    await client.appendToStream(stream, [event('A'), event('B')]);
    const error = await client.appendToStream(stream, event('C'), { expectedRevision: 0n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: 1n });
    const absent = await client.appendToStream(unique('none'), event('C'), { expectedRevision: 3n }).catch((e: unknown) => e);
    expect(absent).toMatchObject({ expectedVersion: 3n, actualVersion: 'no_stream' });
  });

  it('answers an idempotent retry with the original result, and a partial one with WrongExpectedVersion', async () => {
    const stream = unique('idempotent');
    const batch = [event('A'), event('B')];
    const original = await client.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    const retry = await client.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    expect(retry).toEqual(original);
    const retryAny = await client.appendToStream(stream, batch, { expectedRevision: 'any' });
    expect(retryAny).toEqual(original);

    await expect(
      client.appendToStream(stream, [batch[0], event('C')], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(client.appendToStream(stream, batch, { expectedRevision: 0n })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect(await readTypes(client, stream)).toEqual(['A', 'B']);
  });

  it('reads a stream backwards, from a revision, with a max count; a missing stream is not found', async () => {
    const stream = unique('bounds');
    await client.appendToStream(stream, ['A', 'B', 'C', 'D'].map((type) => event(type)));
    const types = async (options: Parameters<EventStoreDBClient['readStream']>[1]) =>
      (await collect(client.readStream(stream, options))).map((resolved) => resolved.event?.type);
    expect(await types({ fromRevision: 1n, maxCount: 2 })).toEqual(['B', 'C']);
    expect(await types({ direction: 'backwards', fromRevision: END })).toEqual(['D', 'C', 'B', 'A']);
    expect(await types({ direction: 'backwards', fromRevision: 2n, maxCount: 2 })).toEqual(['C', 'B']);
    expect(await types({ fromRevision: END })).toEqual([]);
    await expect(collect(client.readStream(unique('missing')))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all forwards inclusive and backwards exclusive, system events included', async () => {
    const stream = unique('all');
    await client.appendToStream(stream, [event('A'), event('B'), event('C')]);
    const mine = (events: AllStreamResolvedEvent[]) =>
      events.filter((resolved) => resolved.event?.streamId === stream).map((resolved) => resolved.event!.type);
    const all = await collect(client.readAll());
    expect(all.some((resolved) => resolved.event?.type.startsWith('$'))).toBe(true);
    expect(mine(all)).toEqual(['A', 'B', 'C']);
    const positionOfB = all.find((resolved) => resolved.event?.streamId === stream && resolved.event.type === 'B')!
      .event!.position as Position;
    expect(mine(await collect(client.readAll({ fromPosition: positionOfB })))).toEqual(['B', 'C']);
    expect(mine(await collect(client.readAll({ fromPosition: positionOfB, direction: 'backwards' })))).toEqual(['A']);
    expect(await collect(client.readAll({ fromPosition: END }))).toEqual([]);
  });

  it('subscribes to $all strictly after the given position', async () => {
    const stream = unique('after');
    await client.appendToStream(stream, [event('A'), event('B')]);
    const [a] = await collect(client.readStream(stream));
    const subscription = client.subscribeToAll({ fromPosition: a.event!.position as Position });
    const { events } = await takeEvents(subscription, 1);
    expect(events.map((resolved) => resolved.event?.type)).toEqual(['B']);
  });

  it('refuses a $all position where no event starts, like the server', async () => {
    const { position } = await client.appendToStream(unique('pos'), event('A'));
    const between = { commit: position!.commit + 1n, prepare: position!.prepare + 1n };
    await expect(collect(client.readAll({ fromPosition: between }))).rejects.toThrow();
  });

  it('subscribes to a stream: confirmation, catch-up, caught_up, then live; after a revision exclusive', async () => {
    const stream = unique('sub');
    await client.appendToStream(stream, [event('A'), event('B')]);
    const subscription = client.subscribeToStream(stream, { fromRevision: 0n });
    const taken = takeEvents(subscription, 2);
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await client.appendToStream(stream, event('C'));
    const { events, signals } = await taken;
    expect(events.map((resolved) => resolved.event?.revision)).toEqual([1n, 2n]);
    expect(signals).toEqual(['confirmation', 'event:B', 'caught_up', 'event:C']);
  });

  it('waits on a stream that does not exist yet', async () => {
    const stream = unique('later');
    const subscription = client.subscribeToStream(stream);
    const taken = takeEvents(subscription, 1);
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    await client.appendToStream(stream, event('First'));
    expect((await taken).events.map((resolved) => resolved.event?.type)).toEqual(['First']);
  });

  it('subscribes to $all with a stream-name filter and sends checkpoints', async () => {
    const prefix = unique('filtered');
    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({
        prefixes: [prefix],
        maxSearchWindow: 1,
        checkpointInterval: 2,
        checkpointReached: (_subscription, position) => void checkpoints.push(position),
      }),
    });
    await client.appendToStream(unique('noise'), [event('N1'), event('N2'), event('N3')]);
    await client.appendToStream(`${prefix}-1`, event('Wanted'));
    const { events } = await takeEvents(subscription, 1);
    expect(events.map((resolved) => resolved.event?.type)).toEqual(['Wanted']);
    expect(checkpoints.length).toBeGreaterThan(0);
  });

  it('subscribes to $all with an event-type filter and excludes system events when asked', async () => {
    const type = unique('Type');
    const stream = unique('typed');
    await client.setStreamMetadata(stream, { maxCount: 10 });
    await client.appendToStream(stream, [event('Other'), event(type)]);
    const byType = await takeEvents(
      client.subscribeToAll({ filter: eventTypeFilter({ prefixes: [type] }) }),
      1,
    );
    expect(byType.events.map((resolved) => resolved.event?.streamId)).toEqual([stream]);
    const noSystem = await takeEvents(client.subscribeToAll({ filter: excludeSystemEvents() }), 20);
    expect(noSystem.events.every((resolved) => !resolved.event?.type.startsWith('$'))).toBe(true);
  });

  it('stores stream metadata in $$<stream> and reads it back', async () => {
    const stream = unique('meta');
    expect(await client.getStreamMetadata(stream)).toEqual({ streamName: stream });
    await client.setStreamMetadata(stream, { maxCount: 2, custom: 'kept' } as never);
    await client.setStreamMetadata(stream, { truncateBefore: 1, note: 'latest' } as never);
    const { metadata } = await client.getStreamMetadata(stream);
    expect(metadata).toEqual({ truncateBefore: 1, note: 'latest' });
    // Metastreams keep only their last event ($maxCount 1).
    const [metadataEvent] = await collect(client.readStream(`$$${stream}`));
    expect(metadataEvent.event).toMatchObject({ type: '$metadata', revision: 1n });
    // db-client 6.2.1 fills `metastreamRevision` with the event's commit position, not its revision.
    expect((await client.getStreamMetadata(stream)).metastreamRevision).toBe(metadataEvent.event!.position!.commit);
  });

  it('hides events by truncateBefore and maxCount on stream reads, not on $all', async () => {
    const stream = unique('hidden');
    await client.appendToStream(stream, ['A', 'B', 'C', 'D'].map((type) => event(type)));
    await client.setStreamMetadata(stream, { truncateBefore: 1 });
    expect(await readTypes(client, stream)).toEqual(['B', 'C', 'D']);
    await client.setStreamMetadata(stream, { maxCount: 2 });
    expect(await readTypes(client, stream)).toEqual(['C', 'D']);
    const inAll = (await collect(client.readAll())).filter((resolved) => resolved.event?.streamId === stream);
    expect(inAll).toHaveLength(4);
  });

  it('soft-deletes: reads as not found, recreates with continuing revisions', async () => {
    const stream = unique('deleted');
    await client.appendToStream(stream, [event('A'), event('B')]);
    await client.deleteStream(stream);
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
    // `$tb` is long.MaxValue; JSON.parse in the client turns it into 2^63.
    expect((await client.getStreamMetadata(stream)).metadata).toEqual({ truncateBefore: 2 ** 63 });
    await expect(
      client.appendToStream(stream, event('X'), { expectedRevision: 'stream_exists' }),
    ).rejects.toBeInstanceOf(StreamDeletedError);
    const recreated = await client.appendToStream(stream, event('C'), { expectedRevision: 'no_stream' });
    expect(recreated.nextExpectedRevision).toBe(2n);
    const read = await collect(client.readStream(stream));
    expect(read.map((resolved) => [resolved.event?.revision, resolved.event?.type])).toEqual([[2n, 'C']]);
    expect((await client.getStreamMetadata(stream)).metadata).toEqual({ truncateBefore: 2 });
  });

  it('refuses to soft-delete a stream that has neither events nor metadata', async () => {
    await expect(client.deleteStream(unique('never'))).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('tombstones: the stream is deleted for good', async () => {
    const stream = unique('tombstoned');
    await client.appendToStream(stream, event('A'));
    await client.tombstoneStream(stream);
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(client.appendToStream(stream, event('B'))).rejects.toBeInstanceOf(StreamDeletedError);
  });
});

const UNAVAILABLE = 14;
const CANCELLED = 1;

describe.each([
  // A suspended server answers open calls with UNAVAILABLE; a killed one sends nothing, so a call
  // in flight on the cut connection (the BatchAppend stream) ends CANCELLED on the client's side.
  { outage: 'suspend and resume', down: (double: EsdbDouble) => double.suspend(), up: (double: EsdbDouble) => double.resume(), codes: [UNAVAILABLE] },
  { outage: 'stop and start', down: (double: EsdbDouble) => double.stop(), up: (double: EsdbDouble) => double.start(), codes: [UNAVAILABLE, CANCELLED] },
])('EventStoreDB double $outage', ({ down, up, codes }) => {
  const grpcCode = (error: unknown) => (error as { code?: unknown }).code;

  it('fails calls while down and serves the same data on the same port after', async () => {
    const double = await startEsdbDouble();
    const client = EventStoreDBClient.connectionString(double.connectionString);
    try {
      const stream = unique('survivor');
      await client.appendToStream(stream, event('Before'));
      const subscription = client.subscribeToStream(stream);
      const subscriptionError = new Promise<unknown>((resolve) => subscription.on('error', resolve));
      await new Promise((resolve) => subscription.once('caughtUp', resolve));

      await down(double);
      const appendError = await client.appendToStream(stream, event('During')).then(() => 'appended', (error: unknown) => error);
      expect(codes).toContain(grpcCode(appendError));
      expect(codes).toContain(grpcCode(await subscriptionError));

      await up(double);
      await client.appendToStream(stream, event('After'));
      expect(await readTypes(client, stream)).toEqual(['Before', 'After']);
    } finally {
      await client.dispose();
      await double.stop();
    }
  });
});
