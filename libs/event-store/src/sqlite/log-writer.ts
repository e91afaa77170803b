import { randomUUID } from 'node:crypto';
import type { AppendResult, EventToAppend, ExpectedRevision, StreamMetadata } from '../port/types.js';
import { checkExpectedRevision, findRepeatedBatch } from './append-rules.js';
import { putStreamRow } from './put-stream-row.js';
import type { NewEventRow, Statements } from './statements.js';
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

type EventPayload = Omit<NewEventRow, 'stream_id' | 'stream_name' | 'revision' | 'created_ms'>;

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
    let head = this.head(streamName);
    const current = currentRevision(head);
    const payloads = events.map(toPayload);
    const repeated = this.findRepeatedBatch(head, payloads, expected);
    if (repeated !== undefined) return repeated;
    checkExpectedRevision(streamName, expected, current);
    if (isSoftDeleted(head)) head = this.recreate(head);
    return this.write(head, payloads);
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

  /** Appending to a soft-deleted stream: revisions continue, older events stay hidden. */
  private recreate(head: StreamRow): StreamRow {
    const lifeStart = head.last_revision + 1n;
    this.setMetadata(head.stream_name, { ...metadataOf(head), truncateBefore: lifeStart }, 'any');
    return putStreamRow(this.sql, { ...this.head(head.stream_name), life_start: lifeStart });
  }

  private findRepeatedBatch(head: StreamRow, payloads: readonly EventPayload[], expected: ExpectedRevision): AppendResult | undefined {
    // A stream that never held an event cannot hold these ids: skip the lookup (every new run's stream).
    const streamId = head.stream_id;
    if (streamId === null || head.last_revision < 0n) return undefined;
    const ids = payloads.map((payload) => payload.event_id);
    const known = new Map(
      this.sql.knownEventIds.all(streamId, JSON.stringify(ids)).map((row) => [row.event_id, row.revision] as const),
    );
    const first = findRepeatedBatch({
      streamName: head.stream_name,
      expected,
      current: currentRevision(head),
      lifeStart: head.life_start,
      ids,
      known,
      storedIds: (from, count) =>
        this.sql.streamEventsBetween.all(streamId, from, from + BigInt(count) - 1n).map((row) => row.event_id),
    });
    if (first === undefined) return undefined;
    const last = first + BigInt(ids.length) - 1n;
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
      const inserted = this.sql.insertEvent.run({ ...payload, stream_id, stream_name, revision, created_ms: createdMs });
      position = BigInt(inserted.lastInsertRowid);
    }
    return { nextExpectedRevision: lastRevision, position: { commit: position, prepare: position } };
  }
}

function toPayload(event: EventToAppend): EventPayload {
  return {
    // Ids compare case-insensitively, like the UUIDs they are.
    event_id: event.id.toLowerCase(),
    event_type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata ?? null),
  };
}
