import * as t from 'io-ts';

const RequiredMetadata = t.type({
  commandId: t.string,
  correlationId: t.string,
  causationId: t.string,
  schemaVersion: t.number,
  occurredAt: t.string,
  /** Hash of the previous event of the same stream ('' for the first). */
  prevHash: t.string,
  /** SHA-256 over prevHash and the event's canonical JSON (see hash-chain.ts). */
  hash: t.string,
});

/** W3C trace context of the command that wrote the event, when it was traced. */
const TraceMetadata = t.partial({ traceparent: t.string, tracestate: t.string });

export const EventMetadataCodec = t.intersection([RequiredMetadata, TraceMetadata]);

export type EventMetadata = t.TypeOf<typeof EventMetadataCodec>;
