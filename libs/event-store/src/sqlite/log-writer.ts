import { randomUUID } from 'node:crypto';
import type { AppendResult, EventToAppend, ExpectedRevision, StreamAppend, StreamMetadata } from '../port/types.js';
import { checkExpectedRevision, findRepeatedBatch } from './append-rules.js';
import { putStreamRow } from './put-stream-row.js';
import { headsOf } from './stream-heads.js';
import type { Statements } from './statements.js';
import {
  SOFT_DELETED_TRUNCATE_BEFORE,
  currentRevision,
  emptyStreamRow,
  isSoftDeleted,
  metadataEventJson,
  metadataOf,
  withMetadata,
  type StreamRow,
} from './stream-row.js';

/** An event's columns as stored: what its insert binds beside the stream and revision. */
export interface EventPayload {
  readonly event_id: string;
  readonly event_type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * The write side, run inside a transaction (one savepoint per caller, see group-commit.ts).
 * Synchronous: every check reads the state left by the writes before it in the same batch.
 */
export class LogWriter {
  constructor(
    private readonly sql: Statements,
    private readonly now: () => number,
  ) {}

  append(streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision): AppendResult {
    return this.appendAll([{ streamName, events, expectedRevision: expected }])[0];
  }

  /**
   * Each stream's append as `append` does it, the heads and the ids already stored read for all of
   * them at once (two queries, not two per stream: a cancel's commit writes hundreds of streams).
   * The caller rolls back every write when one throws.
   */
  appendAll(appends: readonly StreamAppend[]): AppendResult[] {
    const heads = this.heads(appends.map((append) => append.streamName));
    const payloads = appends.map((append) => append.events.map(toPayload));
    const stored = this.storedIds(appends.map((append, index) => [heads.get(append.streamName), payloads[index]] as const));
    return appends.map(({ streamName, expectedRevision }, index) => {
      const head = heads.get(streamName) ?? this.head(streamName);
      const known = head.stream_id === null ? undefined : stored.get(head.stream_id);
      const repeated = known && this.findRepeatedBatch(head, payloads[index], expectedRevision, known);
      if (repeated !== undefined) return repeated;
      checkExpectedRevision(streamName, expectedRevision, currentRevision(head));
      if (!isSoftDeleted(head)) return this.write(head, payloads[index]);
      // Recreating writes `$metadata` to the metastream: a head of it read before is stale.
      heads.delete(`$$${streamName}`);
      return this.write(this.recreate(head), payloads[index]);
    });
  }

  /** Appends a `$metadata` event to `$$<stream>` and applies it to the stream's head. */
  setMetadata(streamName: string, metadata: StreamMetadata, expected: ExpectedRevision): AppendResult {
    const metastream = this.head(`$$${streamName}`);
    checkExpectedRevision(metastream.stream_name, expected, currentRevision(metastream));
    const result = this.write(metastream, [
      { event_id: randomUUID(), event_type: '$metadata', data: metadataEventJson(metadata), metadata: 'null' },
    ]);
    putStreamRow(this.sql, withMetadata(this.head(streamName), metadata));
    return result;
  }

  /** Soft delete as EventStoreDB does it: metadata with `$tb` at the largest revision. */
  softDelete(streamName: string, expected: ExpectedRevision): void {
    const head = this.head(streamName);
    checkExpectedRevision(streamName, expected, currentRevision(head));
    if (isSoftDeleted(head)) return;
    this.setMetadata(streamName, { ...metadataOf(head), truncateBefore: SOFT_DELETED_TRUNCATE_BEFORE }, 'any');
  }

  private head(streamName: string): StreamRow {
    return this.sql.stream.get(streamName) ?? emptyStreamRow(streamName);
  }

  /** The heads of the streams that have one, by name. */
  private heads(streamNames: readonly string[]): Map<string, StreamRow> {
    return new Map(headsOf(this.sql, streamNames).map((head) => [head.stream_name, head]));
  }

  /**
   * For each stream that held events, the revisions of those of its append's ids it already holds.
   * A stream that never held an event cannot hold them: it is not looked up (every new run's stream).
   */
  private storedIds(appends: readonly (readonly [head: StreamRow | undefined, payloads: readonly EventPayload[]])[]): Map<bigint, Map<string, bigint>> {
    const keys: [number, string][] = [];
    for (const [head, payloads] of appends) {
      if (head === undefined || head.stream_id === null || head.last_revision < 0n) continue;
      for (const payload of payloads) keys.push([Number(head.stream_id), payload.event_id]);
    }
    const known = new Map<bigint, Map<string, bigint>>();
    if (keys.length === 0) return known;
    for (const { stream_id, event_id, revision } of this.sql.storedEventIds.all(JSON.stringify(keys))) {
      const ofStream = known.get(stream_id) ?? new Map<string, bigint>();
      ofStream.set(event_id, revision);
      known.set(stream_id, ofStream);
    }
    return known;
  }

  /** Appending to a soft-deleted stream: revisions continue, older events stay hidden. */
  private recreate(head: StreamRow): StreamRow {
    const lifeStart = head.last_revision + 1n;
    this.setMetadata(head.stream_name, { ...metadataOf(head), truncateBefore: lifeStart }, 'any');
    return putStreamRow(this.sql, { ...this.head(head.stream_name), life_start: lifeStart });
  }

  /** `known`: the revisions of those of the append's ids the stream holds (see `storedIds`). */
  private findRepeatedBatch(head: StreamRow, payloads: readonly EventPayload[], expected: ExpectedRevision, known: ReadonlyMap<string, bigint>): AppendResult | undefined {
    const streamId = head.stream_id;
    if (streamId === null) return undefined;
    const first = findRepeatedBatch({
      streamName: head.stream_name,
      expected,
      current: currentRevision(head),
      lifeStart: head.life_start,
      ids: payloads.map((payload) => payload.event_id),
      known,
      storedIds: (from, count) =>
        this.sql.streamEventsBetween.all(streamId, from, from + BigInt(count) - 1n).map((row) => row.event_id),
    });
    if (first === undefined) return undefined;
    const last = first + BigInt(payloads.length) - 1n;
    const [lastRow] = this.sql.streamEventsBetween.all(streamId, last, last);
    return { nextExpectedRevision: last, position: { commit: lastRow.position, prepare: lastRow.position } };
  }

  private write(head: StreamRow, payloads: readonly EventPayload[]): AppendResult {
    const createdMs = this.now();
    const lastRevision = head.last_revision + BigInt(payloads.length);
    const { stream_id, stream_name } = putStreamRow(this.sql, { ...head, last_revision: lastRevision });
    let revision = head.last_revision;
    let position = 0n;
    for (const payload of payloads) {
      revision += 1n;
      const inserted = this.sql.insertEvent.run(stream_id, stream_name, revision, payload.event_id, payload.event_type, payload.data, payload.metadata, createdMs);
      position = BigInt(inserted.lastInsertRowid);
    }
    return { nextExpectedRevision: lastRevision, position: { commit: position, prepare: position } };
  }
}

export function toPayload(event: EventToAppend): EventPayload {
  return {
    // Ids compare case-insensitively, like the UUIDs they are.
    event_id: event.id.toLowerCase(),
    event_type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata ?? null),
  };
}
