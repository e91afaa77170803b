// Streams/Read when it is a read (count), not a subscription: a stream by revision, or $all by
// position, forwards or backwards, ending the call after the last event.
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { failCall } from './active-calls.js';
import { serviceError, streamDeletedError } from './errors.js';
import { eventPredicateOf } from './event-filter.js';
import type { EventLog } from './event-log.js';
import type { StoredEvent } from './model.js';
import { streamsPb, type StreamsPb } from './protocol.js';
import { parseUint64, readEventResponse, streamIdentifier, streamNameOf } from './wire.js';

type ReadOptions = StreamsPb.ReadReq.Options;
type ReadCall = ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>;

export const READ_DIRECTION = { FORWARDS: 0, BACKWARDS: 1 } as const;
export const REVISION_CASE = { REVISION: 2, START: 3, END: 4 } as const;
export const ALL_POSITION_CASE = { POSITION: 1, START: 2, END: 3 } as const;
/** `end` as a revision bound: after every revision a stream can have. */
const AFTER_ANY_REVISION = 2n ** 64n;

export function invalidPositionError(): ReturnType<typeof serviceError> {
  return serviceError(status.INVALID_ARGUMENT, 'Invalid position.');
}

export function readStream(log: EventLog, options: ReadOptions, call: ReadCall): void {
  const streamOptions = options.getStream() as StreamsPb.ReadReq.Options.StreamOptions;
  const streamName = streamNameOf(streamOptions.getStreamIdentifier());
  if (log.isTombstoned(streamName)) return failCall(call, streamDeletedError(streamName));
  const readable = log.readableEvents(streamName);
  if (!readable) {
    const notFound = new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamName));
    call.write(new streamsPb.ReadResp().setStreamNotFound(notFound));
    return void call.end();
  }
  const forwards = options.getReadDirection() === READ_DIRECTION.FORWARDS;
  const from = startRevision(streamOptions);
  const selected = forwards
    ? readable.filter((event) => event.revision >= from)
    : readable.filter((event) => event.revision <= from).reverse();
  writeEvents(call, options, selected.slice(0, clampCount(options.getCount(), selected.length)));
}

export function readAll(log: EventLog, options: ReadOptions, call: ReadCall): void {
  const allOptions = options.getAll() as StreamsPb.ReadReq.Options.AllOptions;
  const forwards = options.getReadDirection() === READ_DIRECTION.FORWARDS;
  const startIndex = allStartIndex(log, allOptions);
  if (startIndex === undefined) return failCall(call, invalidPositionError());
  const matches = eventPredicateOf(options.getFilter());
  const selected: StoredEvent[] = [];
  const count = parseUint64(options.getCount());
  const step = forwards ? 1 : -1;
  // Forwards the start index is inclusive; backwards the position is exclusive.
  for (let index = forwards ? startIndex : startIndex - 1; BigInt(selected.length) < count; index += step) {
    const record = log.recordAt(index);
    if (!record) break;
    if (matches(record)) selected.push(record);
  }
  writeEvents(call, options, selected);
}

/** Index of the first record at or after the requested position; undefined if no record starts there. */
export function allStartIndex(log: EventLog, allOptions: StreamsPb.ReadReq.Options.AllOptions): number | undefined {
  switch (allOptions.getAllOptionCase()) {
    case ALL_POSITION_CASE.START:
      return 0;
    case ALL_POSITION_CASE.END:
      return log.recordCount;
    default: {
      const position = allOptions.getPosition() as StreamsPb.ReadReq.Options.Position;
      return log.indexAtPosition({
        commit: parseUint64(position.getCommitPosition()),
        prepare: parseUint64(position.getPreparePosition()),
      });
    }
  }
}

function startRevision(streamOptions: StreamsPb.ReadReq.Options.StreamOptions): bigint {
  switch (streamOptions.getRevisionOptionCase()) {
    case REVISION_CASE.REVISION:
      return parseUint64(streamOptions.getRevision());
    case REVISION_CASE.END:
      return AFTER_ANY_REVISION;
    default:
      return 0n;
  }
}

function writeEvents(call: ReadCall, options: ReadOptions, events: readonly StoredEvent[]): void {
  const structuredUuids = options.getUuidOption()?.hasStructured() ?? false;
  for (const event of events) call.write(readEventResponse(event, { structuredUuids }));
  call.end();
}

function clampCount(count: string, available: number): number {
  const requested = parseUint64(count);
  return requested < BigInt(available) ? Number(requested) : available;
}
