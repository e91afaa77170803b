// Streams/Delete (soft: a `$metadata` event with `$tb` = long.MaxValue in `$$<stream>`) and
// Streams/Tombstone (hard: the stream can never be written or read again).
import { status, type handleUnaryCall } from '@grpc/grpc-js';
import { serviceError, streamDeletedError, wrongExpectedVersionError } from './errors.js';
import type { DeleteOutcome, EventLog } from './event-log.js';
import type { ExpectedRevision, LogPosition } from './model.js';
import { streamsPb, type StreamsPb } from './protocol.js';
import { expectedRevisionOf, streamNameOf } from './wire.js';

type DeleteOptions = StreamsPb.DeleteReq.Options | StreamsPb.TombstoneReq.Options;

export function deleteHandler(log: EventLog): handleUnaryCall<StreamsPb.DeleteReq, StreamsPb.DeleteResp> {
  return (call, callback) =>
    handleDelete('Delete', call.request.getOptions(), (streamName, expected) => log.softDelete(streamName, expected), {
      answer: (position) => callback(null, new streamsPb.DeleteResp().setPosition(deletePosition(position))),
      fail: (error) => callback(error),
    });
}

export function tombstoneHandler(log: EventLog): handleUnaryCall<StreamsPb.TombstoneReq, StreamsPb.TombstoneResp> {
  return (call, callback) =>
    handleDelete('Delete', call.request.getOptions(), (streamName, expected) => log.tombstone(streamName, expected), {
      answer: (position) => callback(null, new streamsPb.TombstoneResp().setPosition(tombstonePosition(position))),
      fail: (error) => callback(error),
    });
}

interface DeleteReply {
  answer(position: LogPosition): void;
  fail(error: ReturnType<typeof serviceError>): void;
}

function handleDelete(
  operation: string,
  options: DeleteOptions | undefined,
  perform: (streamName: string, expected: ExpectedRevision) => DeleteOutcome,
  reply: DeleteReply,
): void {
  const expected = options && expectedRevisionOf(options.getExpectedStreamRevisionCase(), options.getRevision());
  if (!options || !expected) return reply.fail(serviceError(status.INVALID_ARGUMENT, 'Expected stream revision not set.'));
  const streamName = streamNameOf(options.getStreamIdentifier());
  const outcome = perform(streamName, expected);
  switch (outcome.kind) {
    case 'deleted':
      return reply.answer(outcome.position);
    case 'stream_deleted':
      return reply.fail(streamDeletedError(streamName));
    case 'wrong_expected_version':
      return reply.fail(wrongExpectedVersionError(operation, streamName, expected, outcome.currentRevision));
  }
}

function deletePosition(position: LogPosition): StreamsPb.DeleteResp.Position {
  return new streamsPb.DeleteResp.Position()
    .setCommitPosition(position.commit.toString(10))
    .setPreparePosition(position.prepare.toString(10));
}

function tombstonePosition(position: LogPosition): StreamsPb.TombstoneResp.Position {
  return new streamsPb.TombstoneResp.Position()
    .setCommitPosition(position.commit.toString(10))
    .setPreparePosition(position.prepare.toString(10));
}
