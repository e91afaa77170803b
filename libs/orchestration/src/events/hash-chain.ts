import { hash } from 'node:crypto';
import type { JsonValue } from '@runtree/event-store';

/** JSON with object keys sorted, so the same value always hashes the same. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Built by concatenation, without the arrays of parts map/filter/join would allocate: it runs for every event written.
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) text += ',';
      // A hole is written as nothing, as join writes it; an undefined item as null, as JSON.stringify does.
      if (index in value) text += value[index] === undefined ? 'null' : canonicalJson(value[index]);
    }
    return `${text}]`;
  }
  let text = '{';
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const item = value[key];
    // Like JSON.stringify, a key whose value is undefined is not part of the value.
    if (item === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${text}}`;
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
  // One-shot hash of the same bytes (the hex previous hash, a newline, the body): no Hash object per event.
  return hash('sha256', `${prevHash}\n${body}`, 'hex');
}
