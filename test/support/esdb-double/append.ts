// Streams/Append: one client-streaming call per append (options first, then one message per event).
// The client takes this path when ServerFeatures does not advertise BatchAppend.
import { status, type handleClientStreamingCall, type ServiceError } from '@grpc/grpc-js';
import {
  maxAppendSizeExceededError,
  missingMetadataError,
  serviceError,
  streamDeletedError,
} from './errors.js';
import type { EventLog } from './event-log.js';
import type { ExpectedRevision, WriteOutcome } from './model.js';
import { PendingWrite, type ProposedEventProblem } from './pending-write.js';
import { sharedPb, streamsPb, type StreamsPb } from './protocol.js';
import { expectedRevisionOf, streamNameOf } from './wire.js';

type AppendReq = StreamsPb.AppendReq;
type AppendResp = StreamsPb.AppendResp;

/** What the server answers when the request breaks the protocol (an unhandled exception). */
const handlerException = () => serviceError(status.UNKNOWN, 'Exception was thrown by handler.');

export function appendHandler(log: EventLog): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let pending: PendingWrite | undefined;
    let answered = false;
    const answer = (error: ServiceError | null, response?: AppendResp) => {
      if (answered) return;
      answered = true;
      callback(error, response);
    };

    call.on('data', (request: AppendReq) => {
      if (answered) return;
      if (!pending) {
        pending = pendingWriteOf(request);
        if (!pending) answer(handlerException());
        return;
      }
      const message = request.getProposedMessage();
      if (!message) return answer(handlerException());
      const problem = pending.add(message);
      if (problem) answer(problemError(problem));
    });
    call.on('end', () => {
      if (!pending) return answer(handlerException());
      const outcome = log.append(pending.streamName, pending.expected, pending.events);
      if (outcome.kind === 'stream_deleted') return answer(streamDeletedError(pending.streamName));
      answer(null, appendResponse(outcome, pending.expected));
    });
  };
}

function pendingWriteOf(request: AppendReq): PendingWrite | undefined {
  const options = request.getOptions();
  if (!options) return undefined;
  const expected = expectedRevisionOf(options.getExpectedStreamRevisionCase(), options.getRevision());
  return expected && new PendingWrite(streamNameOf(options.getStreamIdentifier()), expected);
}

function problemError(problem: ProposedEventProblem): ServiceError {
  switch (problem.kind) {
    case 'missing_metadata':
      return missingMetadataError(problem.property);
    case 'too_large':
      return maxAppendSizeExceededError();
    case 'invalid_id':
      return handlerException();
  }
}

function appendResponse(outcome: Exclude<WriteOutcome, { kind: 'stream_deleted' }>, expected: ExpectedRevision): AppendResp {
  if (outcome.kind === 'wrong_expected_version') {
    return new streamsPb.AppendResp().setWrongExpectedVersion(wrongExpectedVersion(expected, outcome.currentRevision));
  }
  const success = new streamsPb.AppendResp.Success();
  if (outcome.lastRevision < 0n) success.setNoStream(new sharedPb.Empty());
  else success.setCurrentRevision(outcome.lastRevision.toString(10));
  if (outcome.position) {
    success.setPosition(
      new streamsPb.AppendResp.Position()
        .setCommitPosition(outcome.position.commit.toString(10))
        .setPreparePosition(outcome.position.prepare.toString(10)),
    );
  } else {
    success.setNoPosition(new sharedPb.Empty());
  }
  return new streamsPb.AppendResp().setSuccess(success);
}

/** The server fills both the current fields and the deprecated 20.6.0 ones. */
function wrongExpectedVersion(expected: ExpectedRevision, currentRevision: bigint): StreamsPb.AppendResp.WrongExpectedVersion {
  const message = new streamsPb.AppendResp.WrongExpectedVersion();
  switch (expected.kind) {
    case 'any':
      message.setExpectedAny(new sharedPb.Empty()).setAny2060(new sharedPb.Empty());
      break;
    case 'stream_exists':
      message.setExpectedStreamExists(new sharedPb.Empty()).setStreamExists2060(new sharedPb.Empty());
      break;
    case 'no_stream':
      // The server also sends ulong.MaxValue in the 20.6.0 field, which a JS number cannot carry;
      // db-client 6.2.1 reads only the current fields.
      message.setExpectedNoStream(new sharedPb.Empty());
      break;
    case 'revision':
      message
        .setExpectedRevision(expected.revision.toString(10))
        .setExpectedRevision2060(Number(expected.revision));
      break;
  }
  if (currentRevision < 0n) {
    message.setCurrentNoStream(new sharedPb.Empty()).setNoStream2060(new sharedPb.Empty());
  } else {
    message.setCurrentRevision(currentRevision.toString(10)).setCurrentRevision2060(Number(currentRevision));
  }
  return message;
}

