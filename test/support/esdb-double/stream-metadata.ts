// How the server interprets the `$metadata` events of `$$<stream>`: truncation, soft deletion,
// max count and max age, all applied when a stream (not $all) is read.
import type { StoredEvent } from './model.js';

/** `$tb` of a soft-deleted stream: long.MaxValue. */
export const SOFT_DELETED_TRUNCATE_BEFORE = 9223372036854775807n;
export const SOFT_DELETE_METADATA_JSON = `{"$tb":${SOFT_DELETED_TRUNCATE_BEFORE}}`;
export const METADATA_EVENT_TYPE = '$metadata';

const TICKS_PER_SECOND = 10_000_000n;

export interface StreamMetadataRules {
  readonly truncateBefore?: bigint;
  readonly maxCount?: bigint;
  readonly maxAgeSeconds?: bigint;
}

export function isMetastream(streamName: string): boolean {
  return streamName.startsWith('$$');
}

export function metastreamOf(streamName: string): string {
  return `$$${streamName}`;
}

export function originalStreamOf(metastreamName: string): string {
  return metastreamName.slice(2);
}

/** Parses the metadata JSON leniently, like the server: what is not a number is ignored. */
export function parseMetadataRules(event: StoredEvent | undefined): StreamMetadataRules {
  const json = parseJsonObject(event?.data);
  if (!json) return {};
  return {
    truncateBefore: toBigInt(json['$tb']),
    maxCount: toBigInt(json['$maxCount']),
    maxAgeSeconds: toBigInt(json['$maxAge']),
  };
}

export function isSoftDeleted(rules: StreamMetadataRules): boolean {
  // JSON numbers are doubles: long.MaxValue parses as 2^63, so compare with >=.
  return rules.truncateBefore !== undefined && rules.truncateBefore >= SOFT_DELETED_TRUNCATE_BEFORE;
}

/** The events a stream read may return, oldest first. Metastreams keep only their last event. */
export function visibleEvents(
  streamName: string,
  events: readonly StoredEvent[],
  rules: StreamMetadataRules,
  nowTicks: bigint,
): readonly StoredEvent[] {
  const maxCount = isMetastream(streamName) ? 1n : rules.maxCount;
  const lastRevision = BigInt(events.length) - 1n;
  return events.filter(
    (event) =>
      (rules.truncateBefore === undefined || event.revision >= rules.truncateBefore) &&
      (maxCount === undefined || event.revision > lastRevision - maxCount) &&
      (rules.maxAgeSeconds === undefined || event.createdTicks >= nowTicks - rules.maxAgeSeconds * TICKS_PER_SECOND),
  );
}

/** The metadata the server writes when a soft-deleted stream is written to again: old keys, new `$tb`. */
export function undeletedMetadataJson(current: StoredEvent | undefined, recreateFromRevision: bigint): string {
  const json = parseJsonObject(current?.data) ?? {};
  const { $tb: _oldTruncateBefore, ...others } = json;
  const rest = JSON.stringify(others).slice(1, -1);
  return `{${rest}${rest ? ',' : ''}"$tb":${recreateFromRevision}}`;
}

function parseJsonObject(data: Uint8Array | undefined): Record<string, unknown> | undefined {
  if (!data || data.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return BigInt(Math.trunc(value));
}
