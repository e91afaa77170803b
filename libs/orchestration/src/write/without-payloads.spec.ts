import { describe, expect, it } from '@jest/globals';
import type { Decider } from '../domain/decider.js';
import { runDecider } from '../domain/run/run-decider.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import { threadDecider } from '../domain/thread/thread-decider.js';
import type { DomainEvent } from '../events/event-registry.js';
import { withoutPayloads } from './without-payloads.js';

const big = { text: 'x'.repeat(200_000) };
const placement = { ownsSession: true, stopSessionOnCancel: true, sessionId: 's', threadId: 't', openSession: { metadata: big }, startThread: { metadata: big, name: 'main' } };

const runEvents: DomainEvent[] = [
  { type: 'RunStarted', data: { runId: 'r', kind: 'k', metadata: big, input: big, sessionId: 's0' } },
  { type: 'ChildSpawned', data: { childRunId: 'c', kind: 'k', substrate: 'session_thread', sequence: 0, metadata: big, placement, input: big } },
  { type: 'ChildDelegated', data: { childRunId: 'd', kind: 'k', substrate: 'run', sequence: 1, metadata: big, placement, task: big } },
  { type: 'SpawnDenied', data: { relation: 'spawned', kind: 'k', limit: 'maxDepth', reason: 'too deep' } },
  { type: 'StepStarted', data: { stepId: 'a', name: 'n', kind: 'k', input: big } },
  { type: 'StepCompleted', data: { stepId: 'a', output: big } },
  { type: 'StepStarted', data: { stepId: 'b', name: 'n', kind: 'k' } },
  { type: 'StepFailed', data: { stepId: 'b', error: big } },
  { type: 'StepStarted', data: { stepId: 'c', name: 'n', kind: 'k' } },
  { type: 'StepCancelled', data: { stepId: 'c', reason: big } },
  { type: 'CancelRequested', data: { reason: 'stop', origin: 'root' } },
  { type: 'RunCancelled', data: { reason: big, origin: 'root' } },
];
const endings: DomainEvent[] = [
  { type: 'RunCompleted', data: { output: big } },
  { type: 'RunFailed', data: { error: big } },
];
const sessionEvents: DomainEvent[] = [
  { type: 'SessionOpened', data: { sessionId: 's', metadata: big, ownerRunId: 'c' } },
  { type: 'SessionClosed', data: { byRunId: 'c' } },
];
const threadEvents: DomainEvent[] = [
  { type: 'ThreadStarted', data: { threadId: 't', sessionId: 's', metadata: big, name: 'main' } },
  { type: 'ThreadResumed', data: { runId: 'x' } },
  { type: 'ThreadClosed', data: {} },
];

function fold<State>(decider: Decider<State, never>, id: string, events: readonly DomainEvent[]): State {
  return events.reduce(
    (state, event, index) => decider.evolve(state, event, { eventId: `e${index}`, commandId: `c${index}`, occurredAt: '2026-01-01T00:00:00.000Z', revision: BigInt(index) }),
    decider.initialState(id),
  );
}

describe('withoutPayloads', () => {
  it.each([
    ['run', runDecider, 'r', runEvents],
    ['run, completed', runDecider, 'r', [runEvents[0], endings[0]]],
    ['run, failed', runDecider, 'r', [runEvents[0], endings[1]]],
    ['session', sessionDecider, 's', sessionEvents],
    ['thread', threadDecider, 't', threadEvents],
  ] as const)('folds the %s events into the same state as the whole events', (_name, decider, id, events) => {
    const folding = decider as unknown as Decider<unknown, never>;
    expect(fold(folding, id, events.map(withoutPayloads))).toEqual(fold(folding, id, events));
  });

  it('keeps no payload: every event it gives is small, whatever its payloads were', () => {
    for (const event of [...runEvents, ...endings, ...sessionEvents, ...threadEvents]) {
      expect({ type: event.type, bytes: JSON.stringify(withoutPayloads(event)).length < 600 }).toEqual({ type: event.type, bytes: true });
    }
  });
});
