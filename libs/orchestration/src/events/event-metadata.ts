import * as t from 'io-ts';

export const EventMetadataCodec = t.type({
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

export type EventMetadata = t.TypeOf<typeof EventMetadataCodec>;
