import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { JsonValue } from '@runtree/event-store';
import {
  CancelRequestedCodec,
  ChildLinkedCodec,
  RunCancelledCodec,
  RunCompletedCodec,
  RunFailedCodec,
  RunStartedCodec,
  SpawnDeniedCodec,
  StepCancelledCodec,
  StepCompletedCodec,
  StepFailedCodec,
  StepStartedCodec,
} from './run-events.js';
import { decodeAccepted } from './decode-accepted.js';
import { SessionClosedCodec, SessionOpenedCodec, ThreadClosedCodec, ThreadResumedCodec, ThreadStartedCodec } from './session-events.js';

/** The one place each event type's shape is written. */
export const eventCodecs = {
  RunStarted: RunStartedCodec,
  ChildSpawned: ChildLinkedCodec,
  ChildDelegated: ChildLinkedCodec,
  SpawnDenied: SpawnDeniedCodec,
  StepStarted: StepStartedCodec,
  StepCompleted: StepCompletedCodec,
  StepFailed: StepFailedCodec,
  StepCancelled: StepCancelledCodec,
  RunCompleted: RunCompletedCodec,
  RunFailed: RunFailedCodec,
  CancelRequested: CancelRequestedCodec,
  RunCancelled: RunCancelledCodec,
  SessionOpened: SessionOpenedCodec,
  SessionClosed: SessionClosedCodec,
  ThreadStarted: ThreadStartedCodec,
  ThreadResumed: ThreadResumedCodec,
  ThreadClosed: ThreadClosedCodec,
} as const;

export type EventType = keyof typeof eventCodecs;
export type DomainEvent = { [K in EventType]: { readonly type: K; readonly data: t.TypeOf<(typeof eventCodecs)[K]> } }[EventType];
export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>;

/** The schema version written for new events. Raise it with an upcaster from the previous version. */
export const currentSchemaVersion = 1;

/** Upcasters by event type and the version they upgrade from (to the next version). */
export type Upcaster = (data: JsonValue) => JsonValue;
export type Upcasters = { readonly [K in EventType]?: { readonly [fromVersion: number]: Upcaster } };

/** The schema versions this build reads: the current one, and older ones through upcasters. */
export interface SchemaRegistry {
  readonly current: number;
  readonly upcasters: Upcasters;
}

export const schemaRegistry: SchemaRegistry = { current: currentSchemaVersion, upcasters: {} };

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventCodecs, type);
}

/** Decodes a stored event, upcasting an older schema version first. */
export function decodeDomainEvent(type: string, data: JsonValue, schemaVersion: number, registry: SchemaRegistry = schemaRegistry): E.Either<string, DomainEvent> {
  if (!isEventType(type)) return E.left(`unknown event type ${type}`);
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > registry.current) {
    return E.left(`${type}: unsupported schema version ${schemaVersion}`);
  }
  let upcast = data;
  for (let version = schemaVersion; version < registry.current; version++) {
    const upcaster = registry.upcasters[type]?.[version];
    if (!upcaster) return E.left(`${type}: no upcaster from schema version ${version}`);
    upcast = upcaster(upcast);
  }
  const codec = eventCodecs[type] as t.Type<unknown, unknown, unknown>;
  return pipe(
    decodeAccepted(codec, upcast),
    E.bimap(
      (errors) => `${type}: ${errors.map((e) => e.context.map((c) => c.key).filter(Boolean).join('.') || '(root)').join(', ')} invalid`,
      (decoded) => ({ type, data: decoded }) as DomainEvent,
    ),
  );
}
