// Streams/BatchAppend: one long-lived bidi stream carrying many appends, each matched by its
// correlation id. Errors travel in the response as a google.rpc.Status with an Any detail.
import type { handleBidiStreamingCall } from '@grpc/grpc-js';
import { batchStatus } from './errors.js';
import type { EventLog } from './event-log.js';
import type { WriteOutcome } from './model.js';
import { PendingWrite, type ProposedEventProblem } from './pending-write.js';
import { emptyPb, sharedPb, streamsPb, type SharedPb, type StreamsPb } from './protocol.js';
import { expectedRevisionOf, parseUuid, streamIdentifier, streamNameOf } from './wire.js';

type BatchAppendReq = StreamsPb.BatchAppendReq;
type BatchAppendResp = StreamsPb.BatchAppendResp;
type StatusMessage = ReturnType<typeof batchStatus.badRequest>;

export function batchAppendHandler(log: EventLog): handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pendingWrites = new Map<string, PendingWrite>();
    const respond = (correlationId: SharedPb.UUID | undefined, streamName: string, result: StatusMessage | WriteSuccess) => {
      const response = new streamsPb.BatchAppendResp()
        .setCorrelationId(correlationId)
        .setStreamIdentifier(streamIdentifier(streamName));
      if (result instanceof streamsPb.BatchAppendResp.Success) response.setSuccess(result);
      else response.setError(result);
      call.write(response);
    };

    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId();
      const key = parseUuid(correlationId) ?? '';
      const options = request.getOptions();
      if (options && !pendingWrites.has(key)) {
        const streamName = streamNameOf(options.getStreamIdentifier());
        const expected = expectedRevisionOf(options.getExpectedStreamPositionCase(), options.getStreamPosition());
        if (!expected) return respond(correlationId, streamName, batchStatus.badRequest('Expected stream position not set.'));
        pendingWrites.set(key, new PendingWrite(streamName, expected));
      }
      const pending = pendingWrites.get(key);
      if (!pending) return;
      const problem = request
        .getProposedMessagesList()
        .reduce<ProposedEventProblem | undefined>((found, message) => found ?? pending.add(message), undefined);
      if (problem) {
        pendingWrites.delete(key);
        return respond(correlationId, pending.streamName, problemStatus(problem));
      }
      if (!request.getIsFinal()) return;
      pendingWrites.delete(key);
      const outcome = log.append(pending.streamName, pending.expected, pending.events);
      respond(correlationId, pending.streamName, batchResult(outcome, pending));
    });
    call.on('end', () => call.end());
  };
}

type WriteSuccess = StreamsPb.BatchAppendResp.Success;

function batchResult(outcome: WriteOutcome, pending: PendingWrite): StatusMessage | WriteSuccess {
  switch (outcome.kind) {
    case 'stream_deleted':
      return batchStatus.streamDeleted(pending.streamName);
    case 'wrong_expected_version':
      return batchStatus.wrongExpectedVersion(pending.expected, outcome.currentRevision);
    case 'written': {
      const success = new streamsPb.BatchAppendResp.Success();
      if (outcome.lastRevision < 0n) success.setNoStream(new emptyPb.Empty());
      else success.setCurrentRevision(outcome.lastRevision.toString(10));
      if (!outcome.position) return success.setNoPosition(new emptyPb.Empty());
      return success.setPosition(
        new sharedPb.AllStreamPosition()
          .setCommitPosition(outcome.position.commit.toString(10))
          .setPreparePosition(outcome.position.prepare.toString(10)),
      );
    }
  }
}

function problemStatus(problem: ProposedEventProblem): StatusMessage {
  switch (problem.kind) {
    case 'too_large':
      return batchStatus.maximumAppendSizeExceeded();
    case 'missing_metadata':
      return batchStatus.badRequest(`The given key '${problem.property}' was not present in the dictionary.`);
    case 'invalid_id':
      return batchStatus.badRequest('Unrecognized Guid format.');
  }
}
