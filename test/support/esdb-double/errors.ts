// The server's two error shapes: gRPC status + trailers (unary and streaming RPCs) and, inside a
// BatchAppend response, a google.rpc.Status whose `details` Any packs an event_store.client message.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { ExpectedRevision } from './model.js';
import { anyPb, emptyPb, sharedPb, statusPb } from './protocol.js';
import { streamIdentifier } from './wire.js';

type StatusMessage = InstanceType<typeof statusPb.Status>;

/** The maximum append size a default server enforces (1 MiB of Event.SizeOnDisk). */
export const MAX_APPEND_SIZE = 1_048_576;

const REQUIRED_METADATA = 'type,content-type';

export function serviceError(code: status, details: string, trailers: Record<string, string> = {}): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

export function streamDeletedError(streamName: string): ServiceError {
  return serviceError(status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': streamName,
  });
}

/** As Delete and Tombstone report it; Append answers with a message instead. */
export function wrongExpectedVersionError(
  operation: string,
  streamName: string,
  expected: ExpectedRevision,
  currentRevision: bigint,
): ServiceError {
  const expectedVersion = expectedVersionNumber(expected).toString(10);
  const actualVersion = currentRevision.toString(10);
  return serviceError(
    status.FAILED_PRECONDITION,
    `${operation} failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expectedVersion}, Actual version: ${actualVersion}`,
    {
      exception: 'wrong-expected-version',
      'stream-name': streamName,
      'expected-version': expectedVersion,
      'actual-version': actualVersion,
    },
  );
}

export function missingMetadataError(property: string): ServiceError {
  return serviceError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': REQUIRED_METADATA,
  });
}

export function maxAppendSizeExceededError(): ServiceError {
  return serviceError(status.INVALID_ARGUMENT, `Maximum Append Size of ${MAX_APPEND_SIZE} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(MAX_APPEND_SIZE),
  });
}

export function invalidArgumentError(details: string): ServiceError {
  return serviceError(status.INVALID_ARGUMENT, details);
}

/** The server's internal number for an expected revision: -2 any, -1 no stream, -4 stream exists. */
export function expectedVersionNumber(expected: ExpectedRevision): bigint {
  switch (expected.kind) {
    case 'any':
      return -2n;
    case 'no_stream':
      return -1n;
    case 'stream_exists':
      return -4n;
    case 'revision':
      return expected.revision;
  }
}

export const batchStatus = {
  wrongExpectedVersion(expected: ExpectedRevision, currentRevision: bigint): StatusMessage {
    const details = new sharedPb.WrongExpectedVersion();
    if (currentRevision < 0n) details.setCurrentNoStream(new emptyPb.Empty());
    else details.setCurrentStreamRevision(currentRevision.toString(10));
    switch (expected.kind) {
      case 'any':
        details.setExpectedAny(new emptyPb.Empty());
        break;
      case 'no_stream':
        details.setExpectedNoStream(new emptyPb.Empty());
        break;
      case 'stream_exists':
        details.setExpectedStreamExists(new emptyPb.Empty());
        break;
      case 'revision':
        details.setExpectedStreamPosition(expected.revision.toString(10));
        break;
    }
    return rpcStatus(6 /* ALREADY_EXISTS */, 'WrongExpectedVersion', details, 'WrongExpectedVersion');
  },
  streamDeleted(streamName: string): StatusMessage {
    const details = new sharedPb.StreamDeleted().setStreamIdentifier(streamIdentifier(streamName));
    return rpcStatus(5 /* NOT_FOUND */, 'StreamDeleted', details, 'StreamDeleted');
  },
  maximumAppendSizeExceeded(): StatusMessage {
    const details = new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(MAX_APPEND_SIZE);
    return rpcStatus(3 /* INVALID_ARGUMENT */, 'MaximumAppendSizeExceeded', details, 'MaximumAppendSizeExceeded');
  },
  badRequest(message: string): StatusMessage {
    return rpcStatus(3 /* INVALID_ARGUMENT */, 'BadRequest', new sharedPb.BadRequest().setMessage(message), 'BadRequest');
  },
};

function rpcStatus(
  code: number,
  message: string,
  details: { serializeBinary(): Uint8Array },
  typeName: keyof typeof sharedPb & string,
): StatusMessage {
  const packed = new anyPb.Any();
  packed.pack(details.serializeBinary(), `event_store.client.${typeName}`);
  return new statusPb.Status().setCode(code).setMessage(message).setDetails(packed);
}

