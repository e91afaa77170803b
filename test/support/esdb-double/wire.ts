// Conversions between protobuf messages and the double's model. Wire facts live here:
// uint64 as decimal strings, stream names as UTF-8 bytes, `created` as .NET ticks in a string map.
import type { ExpectedRevision, ProposedEvent, StoredEvent } from './model.js';
import { sharedPb, streamsPb, type SharedPb, type StreamsPb } from './protocol.js';

const UUID_HEX = /^[0-9a-f]{32}$/;

export function streamNameOf(identifier: SharedPb.StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

export function streamIdentifier(streamName: string): SharedPb.StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(streamName, 'utf8')));
}

/** Canonical lower-case form, or undefined when .NET's Guid parser would refuse it. */
export function parseUuid(uuid: SharedPb.UUID | undefined): string | undefined {
  if (!uuid) return undefined;
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured() as SharedPb.UUID.Structured;
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
    return formatUuid(bytes.toString('hex'));
  }
  const text = uuid.getString().trim().toLowerCase();
  const unwrapped = /^\{.*\}$|^\(.*\)$/.test(text) ? text.slice(1, -1) : text;
  const hyphenated = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(unwrapped);
  const hex = unwrapped.replaceAll('-', '');
  return (hyphenated || !unwrapped.includes('-')) && UUID_HEX.test(hex) ? formatUuid(hex) : undefined;
}

export function uuidMessage(id: string, structured: boolean): SharedPb.UUID {
  if (!structured) return new sharedPb.UUID().setString(id);
  const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
  const signed = (offset: number) => BigInt.asIntN(64, bytes.readBigUInt64BE(offset)).toString(10);
  return new sharedPb.UUID().setStructured(
    new sharedPb.UUID.Structured().setMostSignificantBits(signed(0)).setLeastSignificantBits(signed(8)),
  );
}

export type ProposedMessage = StreamsPb.AppendReq.ProposedMessage | StreamsPb.BatchAppendReq.ProposedMessage;

export type ProposedEventResult =
  | { readonly ok: true; readonly event: ProposedEvent }
  | { readonly ok: false; readonly missingMetadata: 'type' | 'content-type' }
  | { readonly ok: false; readonly invalidId: true };

export function proposedEventOf(message: ProposedMessage): ProposedEventResult {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) return { ok: false, missingMetadata: 'type' };
  const contentType = metadata.get('content-type');
  if (contentType === undefined) return { ok: false, missingMetadata: 'content-type' };
  const id = parseUuid(message.getId());
  if (id === undefined) return { ok: false, invalidId: true };
  return {
    ok: true,
    event: {
      id,
      type,
      isJson: contentType === 'application/json',
      data: Uint8Array.from(message.getData_asU8()),
      customMetadata: Uint8Array.from(message.getCustomMetadata_asU8()),
    },
  };
}

/** The server's Event.SizeOnDisk, which it sums against the maximum append size. */
export function sizeOnDisk(event: ProposedEvent): number {
  return event.data.length + event.customMetadata.length + event.type.length * 2;
}

export interface ReadEventOptions {
  readonly structuredUuids: boolean;
}

export function readEventResponse(record: StoredEvent, options: ReadEventOptions): StreamsPb.ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(record.id, options.structuredUuids))
    .setStreamIdentifier(streamIdentifier(record.streamName))
    .setStreamRevision(record.revision.toString(10))
    .setCommitPosition(record.position.commit.toString(10))
    .setPreparePosition(record.position.prepare.toString(10))
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('created', record.createdTicks.toString(10))
    .set('content-type', record.isJson ? 'application/json' : 'application/octet-stream');
  const readEvent = new streamsPb.ReadResp.ReadEvent()
    .setEvent(recorded)
    .setCommitPosition(record.position.commit.toString(10));
  return new streamsPb.ReadResp().setEvent(readEvent);
}

function formatUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Every write request encodes the expected revision in a oneof numbered 2 (revision) to 5. */
const EXPECTED_REVISION_CASE = { REVISION: 2, NO_STREAM: 3, ANY: 4, STREAM_EXISTS: 5 } as const;

export function expectedRevisionOf(oneofCase: number, revision: string): ExpectedRevision | undefined {
  switch (oneofCase) {
    case EXPECTED_REVISION_CASE.REVISION:
      return { kind: 'revision', revision: parseUint64(revision) };
    case EXPECTED_REVISION_CASE.NO_STREAM:
      return { kind: 'no_stream' };
    case EXPECTED_REVISION_CASE.ANY:
      return { kind: 'any' };
    case EXPECTED_REVISION_CASE.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return undefined;
  }
}

/** uint64 fields arrive as decimal strings. */
export function parseUint64(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`Not a uint64: ${text}`);
  return BigInt(text);
}
