import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue } from '@runtree/event-store';
import { runDecider, type RunCommand } from '../domain/run/run-decider.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import { given, type Outcome } from '../domain/testing/given-when-then.js';
import { threadDecider } from '../domain/thread/thread-decider.js';
import { currentSchemaVersion, decodeDomainEvent, eventCodecs, type DomainEvent, type EventType } from './event-registry.js';

const RUN = 'run-1';
const rightOrThrow = (outcome: Outcome): DomainEvent[] => {
  if (E.isLeft(outcome)) throw new Error(`fixture command refused: ${outcome.left.code}`);
  return outcome.right;
};

/** Every event type, as the deciders produce it (optional fields filled in where they exist). */
function eventsFromDeciders(): DomainEvent[] {
  const lineage = { parentRunId: 'parent', relation: 'spawned' as const, substrate: 'session_thread' as const, sequence: 0, ownedSession: { sessionId: 's', stopOnCancel: true } };
  const [runStarted] = rightOrThrow(
    given(runDecider, RUN, []).when({ type: 'StartRun', runId: RUN, kind: 'k', metadata: { m: [1, null] }, input: { x: 'y' }, sessionId: 's', threadId: 't', lineage }),
  );
  const placement = { ownsSession: true, stopSessionOnCancel: true, sessionId: 's', threadId: 't', openSession: { metadata: {} }, startThread: { name: 'n', metadata: {} }, resumeThread: false };
  const withStep = [runStarted!, ...rightOrThrow(given(runDecider, RUN, [runStarted!]).when({ type: 'StartStep', stepId: 'a', name: 'n', kind: 'k', input: 1 }))];
  const onRun = (command: RunCommand) => rightOrThrow(given(runDecider, RUN, withStep).when(command));
  const sessionOpened = rightOrThrow(given(sessionDecider, 's', []).when({ type: 'OpenSession', metadata: { a: 1 }, ownerRunId: RUN }));
  const threadStarted = rightOrThrow(given(threadDecider, 't', []).when({ type: 'StartThread', sessionId: 's', name: 'n', metadata: {}, startedByRunId: RUN }));
  return [
    ...withStep,
    ...onRun({ type: 'LinkChild', relation: 'spawned', link: { childRunId: 'c1', kind: 'k', substrate: 'session_thread', metadata: {}, placement, input: 'in' } }),
    ...onRun({ type: 'LinkChild', relation: 'delegated', link: { childRunId: 'c2', kind: 'k', substrate: 'run', metadata: { a: 'b' }, placement: { ownsSession: false, stopSessionOnCancel: false }, task: { do: 'it' } } }),
    ...onRun({ type: 'RecordSpawnDenial', relation: 'spawned', kind: 'k', limit: 'maxDepth', reason: 'r', childRunId: 'c3' }),
    ...onRun({ type: 'CompleteStep', stepId: 'a', output: { o: true } }),
    ...onRun({ type: 'FailStep', stepId: 'a', error: 'e' }),
    ...onRun({ type: 'CompleteRun', output: 'out' }), // StepCancelled, RunCompleted
    ...onRun({ type: 'FailRun', error: { message: 'm' } }),
    ...onRun({ type: 'RequestCancel', reason: 'r', origin: { childOf: 'parent' } }),
    ...onRun({ type: 'CancelRun', reason: { cancelledByParent: 'parent', reason: 'r' }, origin: { childOf: 'parent' } }),
    ...sessionOpened,
    ...rightOrThrow(given(sessionDecider, 's', sessionOpened).when({ type: 'CloseSession', byRunId: RUN })),
    ...threadStarted,
    ...rightOrThrow(given(threadDecider, 't', threadStarted).when({ type: 'ResumeThread', runId: RUN })),
    ...rightOrThrow(given(threadDecider, 't', threadStarted).when({ type: 'CloseThread' })),
  ];
}

const produced = eventsFromDeciders();
/** Stored events come back from JSON. */
const asStored = (event: DomainEvent): JsonValue => JSON.parse(JSON.stringify(event.data)) as JsonValue;

describe('event codecs', () => {
  it('the fixtures cover every registered event type', () => {
    expect(new Set(produced.map((event) => event.type))).toEqual(new Set(Object.keys(eventCodecs)));
  });

  it.each(produced.map((event) => [event.type, event] as const))('decode what the deciders produce for %s', (type, event) => {
    expect(decodeDomainEvent(type, asStored(event), currentSchemaVersion)).toEqual(E.right(event));
  });

  /** A wrong shape for each type, and the field its refusal must name ('(root)' when the data itself is wrong). */
  const wrongShapes: [EventType, unknown, string][] = [
    ['RunStarted', { kind: 'k', metadata: {} }, 'runId'],
    ['ChildSpawned', { childRunId: 'c', kind: 'k', substrate: 'run', sequence: 0, metadata: {}, placement: { ownsSession: 'yes', stopSessionOnCancel: false } }, 'ownsSession'],
    ['ChildDelegated', { childRunId: 'c', kind: 'k', substrate: 'galaxy', sequence: 0, metadata: {}, placement: { ownsSession: false, stopSessionOnCancel: false } }, 'substrate'],
    ['SpawnDenied', { relation: 'adopted', kind: 'k', limit: 'l', reason: 'r' }, 'relation'],
    ['StepStarted', { stepId: 's', name: 1, kind: 'k' }, 'name'],
    ['StepCompleted', { output: 1 }, 'stepId'],
    ['StepFailed', { stepId: 's' }, 'error'],
    ['StepCancelled', { stepId: 's', reason: Number.NaN }, 'reason'],
    ['RunCompleted', { output: new Date(0) }, 'output'],
    ['RunFailed', {}, 'error'],
    ['CancelRequested', { reason: 'r', origin: 'parent' }, 'origin'],
    ['RunCancelled', { reason: 'r', origin: { childOf: 7 } }, 'childOf'],
    ['SessionOpened', { sessionId: 's', metadata: [] }, 'metadata'],
    ['SessionClosed', { byRunId: 5 }, 'byRunId'],
    ['ThreadStarted', { threadId: 't', metadata: {} }, 'sessionId'],
    ['ThreadResumed', { runId: null }, 'runId'],
    ['ThreadClosed', null, '(root)'],
  ];

  it('the wrong shapes cover every registered event type', () => {
    expect(new Set(wrongShapes.map(([type]) => type))).toEqual(new Set(Object.keys(eventCodecs)));
  });

  it.each(wrongShapes)('refuse a wrong %s naming the field', (type, data, field) => {
    const decoded = decodeDomainEvent(type, data as JsonValue, currentSchemaVersion);
    expect(E.isLeft(decoded)).toBe(true);
    const message = (decoded as E.Left<string>).left;
    expect(message.startsWith(`${type}: `)).toBe(true);
    expect(message).toContain(field);
  });
});

describe('decodeDomainEvent', () => {
  it('refuses an unknown event type', () => {
    expect(decodeDomainEvent('RunExploded', {}, currentSchemaVersion)).toEqual(E.left('unknown event type RunExploded'));
  });

  it('does not take inherited object properties for event types', () => {
    expect(E.isLeft(decodeDomainEvent('toString', {}, currentSchemaVersion))).toBe(true);
  });

  it.each([0, -1, currentSchemaVersion + 1, 1.5, Number.NaN])('refuses schema version %p', (version) => {
    expect(decodeDomainEvent('RunCompleted', {}, version)).toEqual(E.left(`RunCompleted: unsupported schema version ${version}`));
  });
});

describe('upcasting an older schema version', () => {
  // Version 2 of RunFailed carries `error`; version 1 (simulated) called it `reason`.
  const registry = {
    current: 2,
    upcasters: { RunFailed: { 1: (data: JsonValue) => ({ error: (data as { reason: JsonValue }).reason }) } },
  };

  it('runs the upcaster chain before the codec', () => {
    const decoded = decodeDomainEvent('RunFailed', { reason: 'boom' }, 1, registry);
    expect(decoded).toEqual(E.right({ type: 'RunFailed', data: { error: 'boom' } }));
  });

  it('refuses an old version that no upcaster covers', () => {
    const decoded = decodeDomainEvent('RunCompleted', {}, 1, registry);
    expect(decoded).toEqual(E.left('RunCompleted: no upcaster from schema version 1'));
  });
});
