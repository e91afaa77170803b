import {
  ErrorType,
  isCommandError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError as ClientStreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreError,
  InvalidRequestError,
  StoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../port/errors.js';
import type { ExpectedRevision } from '../port/types.js';

/** What the failed call was about, so the typed error names the caller's stream and expectation. */
export interface ErrorContext {
  readonly streamName?: string;
  readonly expectedRevision?: ExpectedRevision;
}

/**
 * Turns whatever the client threw into one of the port's typed errors. Errors that did not come from the
 * client or gRPC (a TypeError in our own code) pass through unchanged, so bugs are not disguised as outages.
 */
export function toStoreError(error: unknown, context: ErrorContext = {}): unknown {
  if (error instanceof EventStoreError) return error;
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      context.streamName ?? error.streamName,
      context.expectedRevision ?? error.expectedVersion,
      error.actualVersion,
    );
  }
  if (error instanceof StreamDeletedError) {
    // The server answers `stream_exists` on a soft-deleted stream (and anything on a tombstoned one) with
    // StreamDeleted; the port calls that an expectation mismatch on a stream that has no events.
    const streamName = context.streamName ?? error.streamName;
    return context.expectedRevision === undefined
      ? new StreamNotFoundError(streamName)
      : new WrongExpectedRevisionError(streamName, context.expectedRevision, 'no_stream');
  }
  if (error instanceof ClientStreamNotFoundError) return new StreamNotFoundError(context.streamName ?? error.streamName);
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidRequestError(`The append is larger than the server's maximum append size (${error.maxAppendSize} bytes)`);
  }
  if (error instanceof Error && isCommandError(error)) {
    if (error.type === ErrorType.INVALID_ARGUMENT) return new InvalidRequestError(`EventStoreDB refused the request: ${error.message}`);
    // Unavailable, timeouts, not-leader, access denied, unknown: the store cannot serve this call now.
    return new StoreUnavailableError(`EventStoreDB failed (${error.type}): ${error.message}`, { cause: error });
  }
  // With no server at all the client's first call (fetching server features) rejects with the raw
  // gRPC error, e.g. `14 UNAVAILABLE`, instead of its own UnavailableError.
  if (isGrpcStatusError(error)) {
    return new StoreUnavailableError(`EventStoreDB unreachable: ${error.message}`, { cause: error });
  }
  return error;
}

function isGrpcStatusError(error: unknown): error is Error & { code: number } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number' && 'details' in error;
}

/** Runs a client call and rethrows its failure as a typed error. */
export async function mappingErrors<T>(call: () => Promise<T>, context?: ErrorContext): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStoreError(error, context);
  }
}
