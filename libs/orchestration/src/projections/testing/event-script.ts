import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type { AppendResult, EventStore, JsonValue, RecordedEvent } from '@runtree/event-store';
import { currentSchemaVersion, decodeDomainEvent, type DomainEvent, type EventOf, type EventType } from '../../events/event-registry.js';
import type { ChildLinked } from '../../events/run-events.js';
import type { Relation } from '../../api/model.js';
import { runStream, sessionStream, threadStream } from '../../streams/stream-names.js';

/** Test support: a hand-written sequence of domain events, played into read models or a store. */
export interface ScriptedEvent {
  readonly streamName: string;
  readonly type: EventType;
  readonly data: JsonValue;
  readonly occurredAt: string;
}

export interface DecodedEvent {
  readonly recorded: RecordedEvent;
  readonly event: DomainEvent;
}

type DataOf<K extends EventType> = EventOf<K>['data'];
const EPOCH = Date.UTC(2025, 0, 1);

export function eventMetadata(occurredAt: string): JsonValue {
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, causationId: commandId, schemaVersion: currentSchemaVersion, occurredAt, prevHash: '', hash: '' };
}

export class EventScript {
  readonly events: ScriptedEvent[] = [];

  add<K extends EventType>(streamName: string, type: K, data: DataOf<K>): this {
    const occurredAt = new Date(EPOCH + this.events.length * 1000).toISOString();
    this.events.push({ streamName, type, data: data as JsonValue, occurredAt });
    return this;
  }

  startRun(runId: string, extra: Partial<DataOf<'RunStarted'>> = {}): this {
    return this.add(runStream(runId), 'RunStarted', { runId, kind: 'run', metadata: {}, ...extra });
  }

  /** The link in the parent's stream (written before the child's RunStarted). */
  link(parentRunId: string, childRunId: string, sequence: number, extra: Partial<ChildLinked> & { relation?: Relation } = {}): this {
    const { relation = 'spawned', ...data } = extra;
    return this.add(runStream(parentRunId), relation === 'spawned' ? 'ChildSpawned' : 'ChildDelegated', {
      childRunId,
      kind: 'orchestrator_child',
      substrate: 'run',
      sequence,
      metadata: { caller: childRunId },
      placement: { ownsSession: false, stopSessionOnCancel: false },
      ...data,
    });
  }

  /** The child's RunStarted, with its lineage. */
  startChild(parentRunId: string, childRunId: string, sequence: number, extra: Partial<DataOf<'RunStarted'>> = {}): this {
    const lineage = extra.lineage ?? { parentRunId, relation: 'spawned', substrate: 'run', sequence };
    return this.startRun(childRunId, {
      kind: 'orchestrator_child',
      metadata: { caller: childRunId, orchestrator: lineage },
      lineage,
      ...extra,
    });
  }

  spawn(parentRunId: string, childRunId: string, sequence: number): this {
    return this.link(parentRunId, childRunId, sequence).startChild(parentRunId, childRunId, sequence);
  }

  onRun<K extends EventType>(runId: string, type: K, data: DataOf<K>): this {
    return this.add(runStream(runId), type, data);
  }

  onSession<K extends EventType>(sessionId: string, type: K, data: DataOf<K>): this {
    return this.add(sessionStream(sessionId), type, data);
  }

  onThread<K extends EventType>(threadId: string, type: K, data: DataOf<K>): this {
    return this.add(threadStream(threadId), type, data);
  }

  /** As a store would record them (positions 1, 2, ...; revisions per stream), decoded. */
  decoded(): DecodedEvent[] {
    const revisions = new Map<string, bigint>();
    return this.events.map((scripted, index) => {
      const revision = (revisions.get(scripted.streamName) ?? -1n) + 1n;
      revisions.set(scripted.streamName, revision);
      const position = BigInt(index + 1);
      const recorded: RecordedEvent = {
        id: randomUUID(),
        type: scripted.type,
        streamName: scripted.streamName,
        revision,
        position: { commit: position, prepare: position },
        data: scripted.data,
        metadata: eventMetadata(scripted.occurredAt),
        created: new Date(scripted.occurredAt),
      };
      const event = decodeDomainEvent(scripted.type, scripted.data, currentSchemaVersion);
      if (E.isLeft(event)) throw new Error(`Scripted event does not decode: ${event.left}`);
      return { recorded, event: event.right };
    });
  }

  /** Appends the events one by one; returns the last append. */
  async appendTo(store: EventStore): Promise<AppendResult> {
    let last: AppendResult | undefined;
    for (const { streamName, type, data, occurredAt } of this.events) {
      last = await store.appendToStream(streamName, [{ id: randomUUID(), type, data, metadata: eventMetadata(occurredAt) }], {
        expectedRevision: 'any',
      });
    }
    if (last === undefined) throw new Error('Empty script');
    return last;
  }
}
