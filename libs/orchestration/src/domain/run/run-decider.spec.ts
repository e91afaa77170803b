import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue } from '@runtree/event-store';
import type { RunStatus } from '../../api/model.js';
import type { DomainEvent } from '../../events/event-registry.js';
import type { ChildLinked } from '../../events/run-events.js';
import { given, thenError, thenEvents, thenNothing } from '../testing/given-when-then.js';
import { checkAcceptsChildren, runDecider, type RunCommand } from './run-decider.js';
import { runningSteps } from './run-state.js';

const RUN = 'run-1';

const runStarted: DomainEvent = { type: 'RunStarted', data: { runId: RUN, kind: 'run', metadata: {} } };
const stepStarted = (stepId: string): DomainEvent => ({ type: 'StepStarted', data: { stepId, name: `name of ${stepId}`, kind: 'tool' } });
const cancelRequested: DomainEvent = { type: 'CancelRequested', data: { reason: 'stop', origin: 'root' } };

type TerminalStatus = Exclude<RunStatus, 'running'>;
/** The event that ends a running run in each terminal status. */
const terminalEvent: Record<TerminalStatus, DomainEvent> = {
  completed: { type: 'RunCompleted', data: { output: 'done' } },
  failed: { type: 'RunFailed', data: { error: 'boom' } },
  cancelled: { type: 'RunCancelled', data: { reason: 'stop', origin: 'root' } },
};
const terminalStatuses = Object.keys(terminalEvent) as TerminalStatus[];

const runningRun = (...more: DomainEvent[]) => given(runDecider, RUN, [runStarted, ...more]);
const terminalRun = (status: TerminalStatus, ...before: DomainEvent[]) => runningRun(...before, terminalEvent[status]);

const childLink = (childRunId: string): Omit<ChildLinked, 'sequence'> => ({
  childRunId,
  kind: 'orchestrator_child',
  substrate: 'session_thread',
  metadata: { caller: 'value' },
  placement: { ownsSession: true, stopSessionOnCancel: true, sessionId: 'session-1', threadId: 'thread-1', openSession: { metadata: {} }, startThread: { metadata: {} } },
  input: { question: 42 },
});
const linked = (relation: 'spawned' | 'delegated', childRunId: string, sequence: number): DomainEvent => ({
  type: relation === 'spawned' ? 'ChildSpawned' : 'ChildDelegated',
  data: { ...childLink(childRunId), sequence },
});

/** One command of every type except StartRun and LinkChild (whose unknown run is the parent: see LinkChild). */
const commandsOnAnExistingRun: RunCommand[] = [
  { type: 'RecordSpawnDenial', relation: 'spawned', kind: 'k', limit: 'maxDepth', reason: 'too deep' },
  { type: 'StartStep', stepId: 'step-1', name: 'n', kind: 'k' },
  { type: 'CompleteStep', stepId: 'step-1' },
  { type: 'FailStep', stepId: 'step-1', error: 'e' },
  { type: 'CompleteRun' },
  { type: 'FailRun', error: 'e' },
  { type: 'RequestCancel', reason: 'r', origin: 'root' },
  { type: 'CancelRun', reason: 'r', origin: 'root' },
];

describe('run decider', () => {
  describe('StartRun', () => {
    it('starts a run with everything the command carries', () => {
      const lineage = { parentRunId: 'parent-1', relation: 'delegated' as const, substrate: 'thread' as const, sequence: 3 };
      thenEvents(
        given(runDecider, RUN, []).when({ type: 'StartRun', runId: RUN, kind: 'agent', metadata: { a: 1 }, input: 'in', sessionId: 's', threadId: 't', lineage }),
        { type: 'RunStarted', data: { runId: RUN, kind: 'agent', metadata: { a: 1 }, input: 'in', sessionId: 's', threadId: 't', lineage } },
      );
    });

    it.each([['running', runningRun()], ...terminalStatuses.map((status) => [status, terminalRun(status)] as const)])(
      'refuses a run id that is taken (run %s) with already_exists',
      (_status, scenario) => {
        thenError(scenario.when({ type: 'StartRun', runId: RUN, kind: 'run', metadata: {} }), 'already_exists', { runId: RUN });
      },
    );
  });

  describe('an unknown run', () => {
    it.each(commandsOnAnExistingRun.map((command) => [command.type, command] as const))('refuses %s with not_found', (_type, command) => {
      thenError(given(runDecider, RUN, []).when(command), 'not_found', { runId: RUN });
    });
  });

  describe('run lifecycle', () => {
    it.each<[string, RunCommand, DomainEvent]>([
      ['CompleteRun with an output', { type: 'CompleteRun', output: { answer: 1 } }, { type: 'RunCompleted', data: { output: { answer: 1 } } }],
      ['CompleteRun without an output', { type: 'CompleteRun' }, { type: 'RunCompleted', data: {} }],
      ['FailRun', { type: 'FailRun', error: { message: 'x' } }, { type: 'RunFailed', data: { error: { message: 'x' } } }],
      ['CancelRun from the root', { type: 'CancelRun', reason: 'user', origin: 'root' }, { type: 'RunCancelled', data: { reason: 'user', origin: 'root' } }],
      [
        'CancelRun from a parent',
        { type: 'CancelRun', reason: { cancelledByParent: 'p', reason: 'user' }, origin: { childOf: 'p' } },
        { type: 'RunCancelled', data: { reason: { cancelledByParent: 'p', reason: 'user' }, origin: { childOf: 'p' } } },
      ],
    ])('a running run ends with %s', (_name, command, event) => {
      thenEvents(runningRun().when(command), event);
    });

    it('a run whose cancel was requested can still be cancelled', () => {
      thenEvents(runningRun(cancelRequested).when({ type: 'CancelRun', reason: 'stop', origin: 'root' }), terminalEvent.cancelled);
    });

    const leavingTerminal = terminalStatuses.flatMap((from) =>
      ([
        [{ type: 'CompleteRun', output: 1 }, 'completed'],
        [{ type: 'FailRun', error: 'e' }, 'failed'],
      ] as const).map(([command, to]) => [from, to, command] as const),
    );
    it.each(leavingTerminal)('a %s run cannot become %s: invalid_status_transition', (from, to, command) => {
      thenError(terminalRun(from).when(command), 'invalid_status_transition', { runId: RUN, from, to });
    });

    it.each(terminalStatuses)('cancelling a %s run appends nothing (idempotent)', (status) => {
      thenNothing(terminalRun(status).when({ type: 'CancelRun', reason: 'again', origin: 'root' }));
    });

    it.each<[string, RunCommand, DomainEvent, JsonValue]>([
      ['completing', { type: 'CompleteRun' }, { type: 'RunCompleted', data: {} }, { runCompleted: RUN }],
      ['failing', { type: 'FailRun', error: 'boom' }, terminalEvent.failed, { runFailed: RUN }],
      ['cancelling', { type: 'CancelRun', reason: 'stop', origin: 'root' }, terminalEvent.cancelled, { runCancelled: RUN }],
    ])('%s a run cancels its running steps first, in start order, and leaves finished steps alone', (_name, command, terminal, reason) => {
      const scenario = runningRun(
        stepStarted('a'),
        stepStarted('b'),
        stepStarted('c'),
        stepStarted('d'),
        { type: 'StepCompleted', data: { stepId: 'b' } },
        { type: 'StepFailed', data: { stepId: 'd', error: 'x' } },
      );
      thenEvents(
        scenario.when(command),
        { type: 'StepCancelled', data: { stepId: 'a', reason } },
        { type: 'StepCancelled', data: { stepId: 'c', reason } },
        terminal,
      );
    });
  });

  describe('steps', () => {
    it('starts a step while the run is running, with its input when given', () => {
      thenEvents(runningRun().when({ type: 'StartStep', stepId: 's', name: 'search', kind: 'tool', input: { q: 'x' } }), {
        type: 'StepStarted',
        data: { stepId: 's', name: 'search', kind: 'tool', input: { q: 'x' } },
      });
      thenEvents(runningRun().when({ type: 'StartStep', stepId: 's', name: 'search', kind: 'tool' }), {
        type: 'StepStarted',
        data: { stepId: 's', name: 'search', kind: 'tool' },
      });
    });

    it.each(terminalStatuses)('refuses to start a step in a %s run: invalid_status_transition', (status) => {
      thenError(terminalRun(status).when({ type: 'StartStep', stepId: 'new', name: 'n', kind: 'k' }), 'invalid_status_transition', {
        runId: RUN,
        stepId: 'new',
        from: status,
        to: 'running',
      });
    });

    it.each([
      ['running', []],
      ['completed', [{ type: 'StepCompleted', data: { stepId: 's' } }]],
    ] as const)('refuses a step id already taken by a %s step: already_exists', (_status, after) => {
      thenError(runningRun(stepStarted('s'), ...after).when({ type: 'StartStep', stepId: 's', name: 'n', kind: 'k' }), 'already_exists', {
        runId: RUN,
        stepId: 's',
      });
    });

    it('completes a running step, with its output when given', () => {
      const scenario = runningRun(stepStarted('s'));
      thenEvents(scenario.when({ type: 'CompleteStep', stepId: 's', output: [1, 2] }), { type: 'StepCompleted', data: { stepId: 's', output: [1, 2] } });
      thenEvents(scenario.when({ type: 'CompleteStep', stepId: 's' }), { type: 'StepCompleted', data: { stepId: 's' } });
    });

    it('fails a running step with its error', () => {
      thenEvents(runningRun(stepStarted('s')).when({ type: 'FailStep', stepId: 's', error: { code: 42 } }), {
        type: 'StepFailed',
        data: { stepId: 's', error: { code: 42 } },
      });
    });

    const finishStep: [string, RunCommand][] = [
      ['completed', { type: 'CompleteStep', stepId: 's' }],
      ['failed', { type: 'FailStep', stepId: 's', error: 'e' }],
    ];

    it.each(finishStep)('refuses to move an unknown step to %s: not_found', (_to, command) => {
      thenError(runningRun(stepStarted('other')).when(command), 'not_found', { runId: RUN, stepId: 's' });
    });

    const finishedStepHistories: [string, DomainEvent[]][] = [
      ['completed', [stepStarted('s'), { type: 'StepCompleted', data: { stepId: 's' } }]],
      ['failed', [stepStarted('s'), { type: 'StepFailed', data: { stepId: 's', error: 'e' } }]],
      ['cancelled', [stepStarted('s'), { type: 'StepCancelled', data: { stepId: 's', reason: 'r' } }]],
    ];
    it.each(finishedStepHistories.flatMap(([from, history]) => finishStep.map(([to, command]) => [from, to, history, command] as const)))(
      'refuses to move a %s step to %s: invalid_status_transition',
      (from, to, history, command) => {
        thenError(runningRun(...history).when(command), 'invalid_status_transition', { runId: RUN, stepId: 's', from, to });
      },
    );

    it('a step cancelled by the end of its run can no longer complete', () => {
      const completedRun = runningRun(stepStarted('s'), { type: 'StepCancelled', data: { stepId: 's', reason: { runCompleted: RUN } } }, terminalEvent.completed);
      thenError(completedRun.when({ type: 'CompleteStep', stepId: 's' }), 'invalid_status_transition', { runId: RUN, stepId: 's', from: 'cancelled', to: 'completed' });
    });
  });

  describe('LinkChild', () => {
    it.each([
      ['spawned', 'ChildSpawned'],
      ['delegated', 'ChildDelegated'],
    ] as const)('links a %s child with a %s event carrying the link as given and sequence 0 for the first', (relation, type) => {
      thenEvents(runningRun().when({ type: 'LinkChild', relation, link: childLink('child-1') }), { type, data: { ...childLink('child-1'), sequence: 0 } });
    });

    it('numbers a link by the count of earlier links, spawned and delegated alike', () => {
      const scenario = runningRun(linked('spawned', 'child-1', 0), stepStarted('s'), linked('delegated', 'child-2', 1));
      thenEvents(scenario.when({ type: 'LinkChild', relation: 'spawned', link: childLink('child-3') }), linked('spawned', 'child-3', 2));
    });

    // Spec (spawn): "Unknown parent: parent_not_found". decide answers not_found before reaching
    // checkAcceptsChildren; the spawn handler hides it by calling checkAcceptsChildren first.
    it('refuses a child under an unknown parent with parent_not_found', () => {
      thenError(given(runDecider, RUN, []).when({ type: 'LinkChild', relation: 'spawned', link: childLink('c') }), 'parent_not_found', { parentRunId: RUN });
    });

    it.each(terminalStatuses)('refuses a child under a %s parent: parent_not_running with its status', (status) => {
      thenError(terminalRun(status).when({ type: 'LinkChild', relation: 'spawned', link: childLink('c') }), 'parent_not_running', {
        parentRunId: RUN,
        status,
      });
    });

    it('refuses a child while the parent is being cancelled: parent_not_running, cancelling', () => {
      thenError(runningRun(cancelRequested).when({ type: 'LinkChild', relation: 'delegated', link: childLink('c') }), 'parent_not_running', {
        parentRunId: RUN,
        status: 'running',
        cancelling: true,
      });
    });
  });

  describe('checkAcceptsChildren', () => {
    it('accepts a running parent with no cancel requested', () => {
      const scenario = runningRun();
      expect(checkAcceptsChildren(scenario.state)).toEqual(E.right(scenario.state));
    });

    it('refuses an unknown parent with parent_not_found', () => {
      thenError(checkAcceptsChildren(given(runDecider, RUN, []).state), 'parent_not_found', { parentRunId: RUN });
    });

    it.each(terminalStatuses)('refuses a %s parent with parent_not_running', (status) => {
      thenError(checkAcceptsChildren(terminalRun(status).state), 'parent_not_running', { parentRunId: RUN, status });
    });

    it('refuses a parent being cancelled with parent_not_running, cancelling', () => {
      thenError(checkAcceptsChildren(runningRun(cancelRequested).state), 'parent_not_running', { parentRunId: RUN, status: 'running', cancelling: true });
    });
  });

  describe('RecordSpawnDenial', () => {
    it('records the denial as SpawnDenied, with the child run id when known', () => {
      thenEvents(
        runningRun().when({ type: 'RecordSpawnDenial', relation: 'delegated', kind: 'worker', limit: 'maxDepth', reason: 'depth 4 > 3', childRunId: 'c' }),
        { type: 'SpawnDenied', data: { relation: 'delegated', kind: 'worker', limit: 'maxDepth', reason: 'depth 4 > 3', childRunId: 'c' } },
      );
      thenEvents(runningRun().when({ type: 'RecordSpawnDenial', relation: 'spawned', kind: 'worker', limit: 'maxDepth', reason: 'r' }), {
        type: 'SpawnDenied',
        data: { relation: 'spawned', kind: 'worker', limit: 'maxDepth', reason: 'r' },
      });
    });
  });

  describe('RequestCancel', () => {
    it('freezes a running run once with CancelRequested', () => {
      thenEvents(runningRun().when({ type: 'RequestCancel', reason: 'user', origin: { childOf: 'p' } }), {
        type: 'CancelRequested',
        data: { reason: 'user', origin: { childOf: 'p' } },
      });
    });

    it('appends nothing when a cancel was already requested', () => {
      thenNothing(runningRun(cancelRequested).when({ type: 'RequestCancel', reason: 'again', origin: 'root' }));
    });

    it.each(terminalStatuses)('appends nothing for a %s run', (status) => {
      thenNothing(terminalRun(status).when({ type: 'RequestCancel', reason: 'user', origin: 'root' }));
    });
  });

  describe('evolve', () => {
    it('records the command id of every event, whatever its type', () => {
      const scenario = runningRun(stepStarted('s'), linked('spawned', 'c', 0), cancelRequested, terminalEvent.cancelled);
      expect([...scenario.state.commandIds]).toEqual(scenario.contexts.map((context) => context.commandId));
    });

    it('keeps the run placement and lineage from RunStarted', () => {
      const lineage = { parentRunId: 'p', relation: 'spawned' as const, substrate: 'session' as const, sequence: 0 };
      const { state } = given(runDecider, RUN, [{ type: 'RunStarted', data: { runId: RUN, kind: 'k', metadata: {}, sessionId: 's', threadId: 't', lineage } }]);
      expect(state).toMatchObject({ exists: true, status: 'running', sessionId: 's', threadId: 't', lineage });
    });

    it('keeps each link by the id, command and revision of the event that wrote it, without its payloads', () => {
      const scenario = runningRun(linked('delegated', 'c', 0));
      expect(scenario.state.children).toEqual([{ relation: 'delegated', childRunId: 'c', eventId: 'event-1', commandId: 'command-1', revision: 1n }]);
    });

    it.each(terminalStatuses)('moves the run to %s on its terminal event', (status) => {
      expect(terminalRun(status).state.status).toBe(status);
    });

    it('remembers the requested cancel with its revision, and the command that cancelled the run', () => {
      const scenario = runningRun(cancelRequested, terminalEvent.cancelled);
      expect(scenario.state.cancelRequested).toEqual({ reason: 'stop', origin: 'root', revision: 1n });
      expect(scenario.state.cancelledByCommandId).toBe('command-2');
    });

    it('tracks step statuses; runningSteps lists the running ones in start order', () => {
      const { state } = runningRun(stepStarted('a'), stepStarted('b'), stepStarted('c'), { type: 'StepFailed', data: { stepId: 'b', error: 'e' } });
      expect([...state.steps]).toEqual([
        ['a', 'running'],
        ['b', 'failed'],
        ['c', 'running'],
      ]);
      expect(runningSteps(state)).toEqual(['a', 'c']);
    });
  });
});
