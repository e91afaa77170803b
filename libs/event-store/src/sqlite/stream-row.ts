import type { JsonValue, StreamMetadata } from '../port/types.js';

/** A row of `streams`: the head of a stream and its metadata (integers as bigints). */
export interface StreamRow {
  /** The stream's number, in creation order; null until its row is first written. */
  readonly stream_id: bigint | null;
  readonly stream_name: string;
  /** Revision of the last event ever written, -1 when none. */
  readonly last_revision: bigint;
  /** First revision of the stream's current life: 0, or where a soft-deleted stream was recreated. */
  readonly life_start: bigint;
  readonly max_count: bigint | null;
  readonly max_age: bigint | null;
  readonly truncate_before: bigint | null;
  readonly custom_metadata: string | null;
}

/** A row read back from `streams`: it has its number. */
export type StoredStreamRow = StreamRow & { readonly stream_id: bigint };

/** EventStoreDB marks a soft-deleted stream with `$tb` = the largest 64-bit revision. */
export const SOFT_DELETED_TRUNCATE_BEFORE = 9223372036854775807n;

export function emptyStreamRow(streamName: string): StreamRow {
  return {
    stream_id: null,
    stream_name: streamName,
    last_revision: -1n,
    life_start: 0n,
    max_count: null,
    max_age: null,
    truncate_before: null,
    custom_metadata: null,
  };
}

export function isSoftDeleted(row: StreamRow): boolean {
  return row.truncate_before === SOFT_DELETED_TRUNCATE_BEFORE;
}

/** The last revision as the expected-revision check sees it: a deleted stream has no events. */
export function currentRevision(row: StreamRow): bigint | 'no_stream' {
  return row.last_revision < 0n || isSoftDeleted(row) ? 'no_stream' : row.last_revision;
}

export function metadataOf(row: StreamRow): StreamMetadata {
  const custom = row.custom_metadata === null ? undefined : (JSON.parse(row.custom_metadata) as { [key: string]: JsonValue });
  return {
    ...(row.max_count !== null && { maxCount: Number(row.max_count) }),
    ...(row.max_age !== null && { maxAge: Number(row.max_age) }),
    ...(row.truncate_before !== null && { truncateBefore: row.truncate_before }),
    ...(custom !== undefined && Object.keys(custom).length > 0 && { custom }),
  };
}

export function withMetadata(row: StreamRow, metadata: StreamMetadata): StreamRow {
  return {
    ...row,
    max_count: metadata.maxCount === undefined ? null : BigInt(metadata.maxCount),
    max_age: metadata.maxAge === undefined ? null : BigInt(metadata.maxAge),
    truncate_before: metadata.truncateBefore ?? null,
    custom_metadata: metadata.custom === undefined ? null : JSON.stringify(metadata.custom),
  };
}

/**
 * The `$metadata` event's data with EventStoreDB's keys. Written as text by hand so that a
 * 64-bit `$tb` keeps every digit (a JS number would round it).
 */
export function metadataEventJson(metadata: StreamMetadata): string {
  const fields: string[] = [];
  if (metadata.maxCount !== undefined) fields.push(`"$maxCount":${metadata.maxCount}`);
  if (metadata.maxAge !== undefined) fields.push(`"$maxAge":${metadata.maxAge}`);
  if (metadata.truncateBefore !== undefined) fields.push(`"$tb":${metadata.truncateBefore}`);
  for (const [key, value] of Object.entries(metadata.custom ?? {})) {
    fields.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `{${fields.join(',')}}`;
}

/** Which events stream reads may return: metadata hides the ones below these bounds. */
export function visibleBounds(row: StreamRow, nowMs: number): { minRevision: bigint; minCreatedMs: bigint } {
  let minRevision = row.truncate_before ?? 0n;
  if (row.max_count !== null) {
    const keepFrom = row.last_revision - row.max_count + 1n;
    if (keepFrom > minRevision) minRevision = keepFrom;
  }
  const minCreatedMs = row.max_age === null ? 0n : BigInt(nowMs) - row.max_age * 1000n;
  return { minRevision, minCreatedMs };
}
