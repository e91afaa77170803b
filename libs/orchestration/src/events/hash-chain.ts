import { createHash } from 'node:crypto';
import type { JsonValue } from '@runtree/event-store';

/** JSON with object keys sorted, so the same value always hashes the same. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  // Like JSON.stringify, a key whose value is undefined is not part of the value.
  const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}

export interface HashedContent {
  readonly streamName: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: JsonValue;
  /** The event's metadata without `hash`. */
  readonly metadata: { readonly [key: string]: JsonValue };
}

/** The hash covers the event's place (stream, revision), identity, type, data and metadata. */
export function eventHash(prevHash: string, content: HashedContent): string {
  const body = canonicalJson({
    streamName: content.streamName,
    revision: content.revision.toString(),
    id: content.id,
    type: content.type,
    data: content.data,
    metadata: content.metadata,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
