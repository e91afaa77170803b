import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../events/event-registry.js';
import { given, thenError, thenEvents, thenNothing } from '../testing/given-when-then.js';
import { checkThreadUsable, threadDecider } from './thread-decider.js';

const THREAD = 'thread-1';
const SESSION = 'session-1';
const started: DomainEvent = { type: 'ThreadStarted', data: { threadId: THREAD, sessionId: SESSION, metadata: {} } };
const resumedBy = (runId: string): DomainEvent => ({ type: 'ThreadResumed', data: { runId } });
const closed: DomainEvent = { type: 'ThreadClosed', data: {} };

const thread = (...events: DomainEvent[]) => given(threadDecider, THREAD, events);

describe('thread decider', () => {
  describe('StartThread', () => {
    it('starts a thread in its session with name, metadata and starting run', () => {
      thenEvents(thread().when({ type: 'StartThread', sessionId: SESSION, name: 'chat', metadata: { a: 1 }, startedByRunId: 'child-1' }), {
        type: 'ThreadStarted',
        data: { threadId: THREAD, sessionId: SESSION, name: 'chat', metadata: { a: 1 }, startedByRunId: 'child-1' },
      });
    });

    it('starts a thread without the optional fields', () => {
      thenEvents(thread().when({ type: 'StartThread', sessionId: SESSION, metadata: {} }), started);
    });

    it.each([
      ['open', [started]],
      ['closed', [started, closed]],
    ])('refuses a thread id taken by a %s thread: already_exists', (_status, history) => {
      thenError(thread(...history).when({ type: 'StartThread', sessionId: SESSION, metadata: {} }), 'already_exists', { threadId: THREAD });
    });
  });

  describe('ResumeThread', () => {
    it('resumes an open thread for a run', () => {
      thenEvents(thread(started).when({ type: 'ResumeThread', runId: 'run-1' }), resumedBy('run-1'));
    });

    it('resumes it again for another run', () => {
      thenEvents(thread(started, resumedBy('run-1')).when({ type: 'ResumeThread', runId: 'run-2' }), resumedBy('run-2'));
    });

    it('a second resume by the same run appends nothing', () => {
      thenNothing(thread(started, resumedBy('run-1')).when({ type: 'ResumeThread', runId: 'run-1' }));
    });

    it('a retried resume appends nothing even after the thread was closed', () => {
      thenNothing(thread(started, resumedBy('run-1'), closed).when({ type: 'ResumeThread', runId: 'run-1' }));
    });

    it('refuses an unknown thread: thread_not_found', () => {
      thenError(thread().when({ type: 'ResumeThread', runId: 'run-1' }), 'thread_not_found', { threadId: THREAD });
    });

    it('refuses a closed thread: thread_closed', () => {
      thenError(thread(started, closed).when({ type: 'ResumeThread', runId: 'run-1' }), 'thread_closed', { threadId: THREAD });
    });
  });

  describe('CloseThread', () => {
    it('closes an open thread', () => {
      thenEvents(thread(started, resumedBy('run-1')).when({ type: 'CloseThread' }), closed);
    });

    it('closing a closed thread changes nothing', () => {
      thenNothing(thread(started, closed).when({ type: 'CloseThread' }));
    });

    it('refuses an unknown thread: thread_not_found', () => {
      thenError(thread().when({ type: 'CloseThread' }), 'thread_not_found', { threadId: THREAD });
    });
  });

  describe('checkThreadUsable', () => {
    it('accepts an open thread of the session asked for', () => {
      const { state } = thread(started);
      expect(checkThreadUsable(state, SESSION)).toEqual(E.right(state));
    });

    it.each([
      ['an unknown thread', [], SESSION, 'thread_not_found', { threadId: THREAD, sessionId: SESSION }],
      ['a thread of another session', [started], 'session-2', 'thread_not_found', { threadId: THREAD, sessionId: 'session-2' }],
      ['a closed thread', [started, closed], SESSION, 'thread_closed', { threadId: THREAD }],
    ] as const)('refuses %s: %s', (_name, history, sessionId, code, details) => {
      thenError(checkThreadUsable(thread(...history).state, sessionId), code, details);
    });
  });

  describe('evolve', () => {
    it('keeps the session, the status, the resuming runs and every command id', () => {
      const scenario = thread(started, resumedBy('run-1'), resumedBy('run-2'), closed);
      expect(scenario.state).toMatchObject({ exists: true, sessionId: SESSION, status: 'closed' });
      expect([...scenario.state.resumedBy]).toEqual(['run-1', 'run-2']);
      expect([...scenario.state.commandIds]).toEqual(scenario.contexts.map((context) => context.commandId));
    });
  });
});
