// The in-memory database: one global log of records (what $all reads) and, per stream, its events
// by revision. All writes go through here, so expected-revision checks and positions have one home.
import { checkCommit, type StreamFacts } from './commit-check.js';
import {
  NO_STREAM,
  type ExpectedRevision,
  type LogPosition,
  type ProposedEvent,
  type StoredEvent,
  type WriteOutcome,
} from './model.js';
import {
  isMetastream,
  isSoftDeleted,
  METADATA_EVENT_TYPE,
  metastreamOf,
  originalStreamOf,
  parseMetadataRules,
  SOFT_DELETE_METADATA_JSON,
  undeletedMetadataJson,
  visibleEvents,
  type StreamMetadataRules,
} from './stream-metadata.js';

const TICKS_PER_MILLISECOND = 10_000n;
/** Rough size of a prepare record's fixed part; positions grow like byte offsets. */
const RECORD_HEADER_BYTES = 96n;
/** A tombstone's revision: long.MaxValue, as the server writes it. */
const TOMBSTONE_REVISION = 9223372036854775807n;
const TOMBSTONE_EVENT_TYPE = '$streamDeleted';

interface StreamState {
  readonly events: StoredEvent[];
  readonly revisionById: Map<string, bigint>;
  tombstoned: boolean;
}

export type DeleteOutcome =
  | { readonly kind: 'deleted'; readonly position: LogPosition }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint }
  | { readonly kind: 'stream_deleted' };

export class EventLog {
  /** Every record in commit order, system events and tombstones included. */
  private readonly records: StoredEvent[] = [];
  private readonly recordIndexByPrepare = new Map<bigint, number>();
  private readonly streams = new Map<string, StreamState>();
  private nextPosition = 0n;
  private readonly appendListeners = new Set<() => void>();

  get recordCount(): number {
    return this.records.length;
  }

  recordAt(index: number): StoredEvent | undefined {
    return this.records[index];
  }

  /** The position right after the last record: where the next write will go. */
  get endPosition(): LogPosition {
    return { commit: this.nextPosition, prepare: this.nextPosition };
  }

  /** Index of the record at exactly this position, `recordCount` for the end; undefined if no record starts there. */
  indexAtPosition(position: LogPosition): number | undefined {
    if (position.commit !== position.prepare) return undefined;
    if (position.prepare === this.nextPosition) return this.records.length;
    return this.recordIndexByPrepare.get(position.prepare);
  }

  /** Every event of the stream by revision, hidden ones included. */
  streamEvents(streamName: string): readonly StoredEvent[] {
    return this.streams.get(streamName)?.events ?? [];
  }

  isTombstoned(streamName: string): boolean {
    return this.streams.get(streamName)?.tombstoned ?? false;
  }

  metadataRules(streamName: string): StreamMetadataRules {
    return isMetastream(streamName) ? {} : parseMetadataRules(this.streamEvents(metastreamOf(streamName)).at(-1));
  }

  /** What a stream read may return; undefined when the stream reads as not found. */
  readableEvents(streamName: string): readonly StoredEvent[] | undefined {
    const events = this.streamEvents(streamName);
    const rules = this.metadataRules(streamName);
    if (events.length === 0 || isSoftDeleted(rules)) return undefined;
    return visibleEvents(streamName, events, rules, nowTicks());
  }

  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  append(streamName: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): WriteOutcome {
    const facts = this.facts(streamName);
    const decision = checkCommit(
      facts,
      expected,
      events.map((event) => event.id),
    );
    switch (decision.kind) {
      case 'wrong_expected_version':
      case 'stream_deleted':
        return decision;
      case 'idempotent':
        return {
          kind: 'written',
          lastRevision: decision.lastRevision,
          position: this.streamEvents(streamName)[Number(decision.lastRevision)]?.position,
        };
      case 'ok':
        return this.write(streamName, facts, events);
    }
  }

  softDelete(streamName: string, expected: ExpectedRevision): DeleteOutcome {
    const facts = this.facts(streamName);
    const decision = checkCommit(facts, expected, []);
    if (decision.kind === 'wrong_expected_version' || decision.kind === 'stream_deleted') return decision;
    // The server refuses to soft-delete what has neither events nor metadata.
    if (facts.lastRevision === NO_STREAM && !facts.metastreamExists) {
      return { kind: 'wrong_expected_version', currentRevision: NO_STREAM };
    }
    const marker = this.appendRecord(metastreamOf(streamName), systemJsonEvent(METADATA_EVENT_TYPE, SOFT_DELETE_METADATA_JSON));
    this.notify();
    return { kind: 'deleted', position: marker.position };
  }

  tombstone(streamName: string, expected: ExpectedRevision): DeleteOutcome {
    const facts = this.facts(streamName);
    const decision = checkCommit(facts, expected, []);
    if (decision.kind === 'wrong_expected_version' || decision.kind === 'stream_deleted') return decision;
    const state = this.streamState(streamName);
    state.tombstoned = true;
    const tombstone = this.createRecord(streamName, TOMBSTONE_REVISION, systemJsonEvent(TOMBSTONE_EVENT_TYPE, '{}'));
    this.records.push(tombstone);
    this.notify();
    return { kind: 'deleted', position: tombstone.position };
  }

  private write(streamName: string, facts: StreamFacts, events: readonly ProposedEvent[]): WriteOutcome {
    if (events.length === 0) return { kind: 'written', lastRevision: facts.lastRevision, position: undefined };
    const originalWasSoftDeleted =
      isMetastream(streamName) && isSoftDeleted(this.metadataRules(originalStreamOf(streamName)));
    const written = events.map((event) => this.appendRecord(streamName, event));
    if (facts.softDeleted) this.undelete(streamName, facts.lastRevision + 1n);
    if (originalWasSoftDeleted) {
      const original = originalStreamOf(streamName);
      this.undelete(original, BigInt(this.streamEvents(original).length));
    }
    this.notify();
    const last = written[written.length - 1];
    return { kind: 'written', lastRevision: last.revision, position: last.position };
  }

  /** The server's soft-undelete: rewrite the metadata with `$tb` at the first revision still readable. */
  private undelete(streamName: string, recreateFromRevision: bigint): void {
    const metastream = metastreamOf(streamName);
    const json = undeletedMetadataJson(this.streamEvents(metastream).at(-1), recreateFromRevision);
    this.appendRecord(metastream, systemJsonEvent(METADATA_EVENT_TYPE, json));
  }

  private appendRecord(streamName: string, event: ProposedEvent): StoredEvent {
    const state = this.streamState(streamName);
    const record = this.createRecord(streamName, BigInt(state.events.length), event);
    state.events.push(record);
    state.revisionById.set(record.id, record.revision);
    this.records.push(record);
    return record;
  }

  private createRecord(streamName: string, revision: bigint, event: ProposedEvent): StoredEvent {
    const position = this.nextPosition;
    this.recordIndexByPrepare.set(position, this.records.length);
    this.nextPosition += recordSize(streamName, event);
    return {
      ...event,
      streamName,
      revision,
      createdTicks: nowTicks(),
      // One record per event: its commit and prepare positions are the same.
      position: { commit: position, prepare: position },
    };
  }

  private facts(streamName: string): StreamFacts {
    const state = this.streams.get(streamName);
    const events = state?.events ?? [];
    return {
      lastRevision: BigInt(events.length) - 1n,
      tombstoned: state?.tombstoned ?? false,
      softDeleted: isSoftDeleted(this.metadataRules(streamName)),
      metastreamExists: !isMetastream(streamName) && this.streamEvents(metastreamOf(streamName)).length > 0,
      idAt: (revision) => events[Number(revision)]?.id,
      revisionOf: (id) => state?.revisionById.get(id),
    };
  }

  private streamState(streamName: string): StreamState {
    let state = this.streams.get(streamName);
    if (!state) {
      state = { events: [], revisionById: new Map(), tombstoned: false };
      this.streams.set(streamName, state);
    }
    return state;
  }

  private notify(): void {
    for (const listener of this.appendListeners) listener();
  }
}

export function nowTicks(): bigint {
  return BigInt(Date.now()) * TICKS_PER_MILLISECOND;
}

function systemJsonEvent(type: string, json: string): ProposedEvent {
  return {
    id: crypto.randomUUID(),
    type,
    isJson: true,
    data: Buffer.from(json, 'utf8'),
    customMetadata: new Uint8Array(),
  };
}

function recordSize(streamName: string, event: ProposedEvent): bigint {
  const utf8Length = (text: string) => BigInt(Buffer.byteLength(text, 'utf8'));
  return (
    RECORD_HEADER_BYTES +
    utf8Length(streamName) +
    utf8Length(event.type) +
    BigInt(event.data.length) +
    BigInt(event.customMetadata.length)
  );
}

/** Stand-in for the system records a fresh server's $all already holds, so readers must skip them. */
export function seedSystemEvents(log: EventLog): void {
  log.append('$settings', { kind: 'any' }, [systemJsonEvent('$settings', '{"$userStreamAcl":{"$r":"$all"}}')]);
}
