import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { ErrorCode, ErrorDetails } from '../../api/errors.js';
import type { SessionTarget, ThreadTarget } from '../../api/options.js';
import type { DomainEvent } from '../../events/event-registry.js';
import { sessionDecider, type SessionState } from '../session/session-decider.js';
import { given, thenError } from '../testing/given-when-then.js';
import { threadDecider, type ThreadState } from '../thread/thread-decider.js';
import { placementLookups, resolvePlacement, type Placement, type PlacementInput } from './placement.js';

const PARENT_SESSION = 'parent-session';
const PARENT_THREAD = 'parent-thread';
const OTHER_SESSION = 'other-session';
const NEW_SESSION = 'new-session';
const NEW_THREAD = 'new-thread';

const parentWithSession = { sessionId: PARENT_SESSION, threadId: PARENT_THREAD };
const parentWithoutSession = {};

const sessionState = (sessionId: string, closed = false, exists = true): SessionState => {
  const history: DomainEvent[] = exists ? [{ type: 'SessionOpened', data: { sessionId, metadata: {} } }] : [];
  return given(sessionDecider, sessionId, closed ? [...history, { type: 'SessionClosed', data: {} }] : history).state;
};
const threadState = (threadId: string, sessionId: string | undefined, closed = false): ThreadState => {
  const history: DomainEvent[] = sessionId !== undefined ? [{ type: 'ThreadStarted', data: { threadId, sessionId, metadata: {} } }] : [];
  return given(threadDecider, threadId, closed ? [...history, { type: 'ThreadClosed', data: {} }] : history).state;
};

/** Named streams the placement may be given: what a spawn loads for placementLookups. */
const named = {
  otherSession: sessionState(OTHER_SESSION),
  closedSession: sessionState('closed-session', true),
  unknownSession: sessionState('unknown-session', false, false),
  threadOfParentSession: threadState('sibling-thread', PARENT_SESSION),
  threadOfOtherSession: threadState('other-thread', OTHER_SESSION),
  closedThreadOfParentSession: threadState('closed-thread', PARENT_SESSION, true),
  unknownThread: threadState('unknown-thread', undefined),
};

/** A placement question without the ids of what it opens (the table sets those once). */
type Row = Omit<PlacementInput, 'newSessionId' | 'newThreadId'>;
type Expected = Placement | { readonly code: ErrorCode; readonly details: ErrorDetails };

const noSession = { ownsSession: false, stopSessionOnCancel: false };
const inSession = (sessionId: string) => ({ ...noSession, sessionId });

const table: [string, Row, Expected][] = [
  // session: inherit
  ['inherit/inherit takes the parent session and thread', { parent: parentWithSession, session: 'inherit', thread: 'inherit' }, { substrate: 'run', placement: { ...inSession(PARENT_SESSION), threadId: PARENT_THREAD } }],
  ['inherit/inherit under a parent without session gives neither', { parent: parentWithoutSession, session: 'inherit', thread: 'inherit' }, { substrate: 'run', placement: noSession }],
  ['inherit/none keeps the parent session without a thread', { parent: parentWithSession, session: 'inherit', thread: 'none' }, { substrate: 'run', placement: inSession(PARENT_SESSION) }],
  ['inherit/none under a parent without session gives neither', { parent: parentWithoutSession, session: 'inherit', thread: 'none' }, { substrate: 'run', placement: noSession }],
  [
    'inherit/start starts a named thread in the parent session',
    { parent: parentWithSession, session: 'inherit', thread: { start: { name: 'side', metadata: { a: 1 } } } },
    { substrate: 'thread', placement: { ...inSession(PARENT_SESSION), threadId: NEW_THREAD, startThread: { name: 'side', metadata: { a: 1 } } } },
  ],
  [
    'inherit/start without name or metadata starts a thread with empty metadata',
    { parent: parentWithSession, session: 'inherit', thread: { start: {} } },
    { substrate: 'thread', placement: { ...inSession(PARENT_SESSION), threadId: NEW_THREAD, startThread: { metadata: {} } } },
  ],
  [
    'inherit/thread id resumes a thread of the parent session',
    { parent: parentWithSession, session: 'inherit', thread: 'sibling-thread', namedThread: named.threadOfParentSession },
    { substrate: 'thread', placement: { ...inSession(PARENT_SESSION), threadId: 'sibling-thread', resumeThread: true } },
  ],
  [
    'inherit/{threadId} resumes a thread of the parent session',
    { parent: parentWithSession, session: 'inherit', thread: { threadId: 'sibling-thread' }, namedThread: named.threadOfParentSession },
    { substrate: 'thread', placement: { ...inSession(PARENT_SESSION), threadId: 'sibling-thread', resumeThread: true } },
  ],
  [
    "inherit/a thread id of another session is thread_not_found",
    { parent: parentWithSession, session: 'inherit', thread: 'other-thread', namedThread: named.threadOfOtherSession },
    { code: 'thread_not_found', details: { threadId: 'other-thread', sessionId: PARENT_SESSION } },
  ],
  [
    'inherit/an unknown thread id is thread_not_found',
    { parent: parentWithSession, session: 'inherit', thread: { threadId: 'unknown-thread' }, namedThread: named.unknownThread },
    { code: 'thread_not_found', details: { threadId: 'unknown-thread', sessionId: PARENT_SESSION } },
  ],
  [
    "inherit/inherit refuses the parent's session once it is closed",
    { parent: parentWithSession, session: 'inherit', thread: 'inherit', inheritedSession: sessionState(PARENT_SESSION, true) },
    { code: 'session_closed', details: { sessionId: PARENT_SESSION } },
  ],
  [
    "inherit/inherit refuses the parent's thread once it is closed",
    { parent: parentWithSession, session: 'inherit', thread: 'inherit', inheritedSession: sessionState(PARENT_SESSION), inheritedThread: threadState(PARENT_THREAD, PARENT_SESSION, true) },
    { code: 'thread_closed', details: { threadId: PARENT_THREAD } },
  ],
  [
    "inherit/none takes the parent's open session without looking at its thread",
    { parent: parentWithSession, session: 'inherit', thread: 'none', inheritedSession: sessionState(PARENT_SESSION), inheritedThread: threadState(PARENT_THREAD, PARENT_SESSION, true) },
    { substrate: 'run', placement: inSession(PARENT_SESSION) },
  ],
  [
    'inherit/a closed thread is thread_closed',
    { parent: parentWithSession, session: 'inherit', thread: 'closed-thread', namedThread: named.closedThreadOfParentSession },
    { code: 'thread_closed', details: { threadId: 'closed-thread' } },
  ],
  [
    'inherit/start under a parent without session is session_required_for_thread',
    { parent: parentWithoutSession, session: 'inherit', thread: { start: {} } },
    { code: 'session_required_for_thread', details: { field: 'thread' } },
  ],
  [
    'inherit/thread id under a parent without session is session_required_for_thread',
    { parent: parentWithoutSession, session: 'inherit', thread: 'other-thread', namedThread: named.threadOfOtherSession },
    { code: 'session_required_for_thread', details: { field: 'thread' } },
  ],
  // session: none
  ['none/inherit does not take the parent thread', { parent: parentWithSession, session: 'none', thread: 'inherit' }, { substrate: 'run', placement: noSession }],
  ['none/none gives neither', { parent: parentWithSession, session: 'none', thread: 'none' }, { substrate: 'run', placement: noSession }],
  ['none/start is session_required_for_thread', { parent: parentWithSession, session: 'none', thread: { start: { name: 'x' } } }, { code: 'session_required_for_thread', details: { field: 'thread' } }],
  [
    'none/{threadId} is session_required_for_thread',
    { parent: parentWithSession, session: 'none', thread: { threadId: 'sibling-thread' }, namedThread: named.threadOfParentSession },
    { code: 'session_required_for_thread', details: { field: 'thread' } },
  ],
  // session: an existing session id
  [
    'session id/inherit uses that session without the parent thread',
    { parent: parentWithSession, session: OTHER_SESSION, thread: 'inherit', namedSession: named.otherSession },
    { substrate: 'session', placement: inSession(OTHER_SESSION) },
  ],
  [
    'session id/none uses that session without thread',
    { parent: parentWithoutSession, session: OTHER_SESSION, thread: 'none', namedSession: named.otherSession },
    { substrate: 'session', placement: inSession(OTHER_SESSION) },
  ],
  [
    'session id/start starts a thread in that session',
    { parent: parentWithSession, session: OTHER_SESSION, thread: { start: { name: 'n' } }, namedSession: named.otherSession },
    { substrate: 'session_thread', placement: { ...inSession(OTHER_SESSION), threadId: NEW_THREAD, startThread: { name: 'n', metadata: {} } } },
  ],
  [
    'session id/thread id resumes a thread of that session',
    { parent: parentWithSession, session: OTHER_SESSION, thread: 'other-thread', namedSession: named.otherSession, namedThread: named.threadOfOtherSession },
    { substrate: 'session_thread', placement: { ...inSession(OTHER_SESSION), threadId: 'other-thread', resumeThread: true } },
  ],
  [
    "session id/a thread of the parent's session is thread_not_found",
    { parent: parentWithSession, session: OTHER_SESSION, thread: 'sibling-thread', namedSession: named.otherSession, namedThread: named.threadOfParentSession },
    { code: 'thread_not_found', details: { threadId: 'sibling-thread', sessionId: OTHER_SESSION } },
  ],
  [
    'an unknown session id is session_not_found',
    { parent: parentWithSession, session: 'unknown-session', thread: 'inherit', namedSession: named.unknownSession },
    { code: 'session_not_found', details: { sessionId: 'unknown-session' } },
  ],
  [
    'a closed session id is session_closed',
    { parent: parentWithSession, session: 'closed-session', thread: 'none', namedSession: named.closedSession },
    { code: 'session_closed', details: { sessionId: 'closed-session' } },
  ],
  [
    "the parent's own session id counts as inherited: its thread is inherited too",
    { parent: parentWithSession, session: PARENT_SESSION, thread: 'inherit', namedSession: sessionState(PARENT_SESSION) },
    { substrate: 'run', placement: { ...inSession(PARENT_SESSION), threadId: PARENT_THREAD } },
  ],
  // session: open
  [
    'open/inherit opens an owned session, stopped on cancel by default, without thread',
    { parent: parentWithSession, session: { open: { metadata: { team: 'a' } } }, thread: 'inherit' },
    { substrate: 'session', placement: { sessionId: NEW_SESSION, ownsSession: true, stopSessionOnCancel: true, openSession: { metadata: { team: 'a' } } } },
  ],
  [
    'open with stopOnCancel false/none keeps the session on cancel',
    { parent: parentWithoutSession, session: { open: {}, stopOnCancel: false }, thread: 'none' },
    { substrate: 'session', placement: { sessionId: NEW_SESSION, ownsSession: true, stopSessionOnCancel: false, openSession: { metadata: {} } } },
  ],
  [
    'open with stopOnCancel true/start opens a session and starts a thread in it',
    { parent: parentWithSession, session: { open: {}, stopOnCancel: true }, thread: { start: { metadata: { m: true } } } },
    {
      substrate: 'session_thread',
      placement: { sessionId: NEW_SESSION, ownsSession: true, stopSessionOnCancel: true, openSession: { metadata: {} }, threadId: NEW_THREAD, startThread: { metadata: { m: true } } },
    },
  ],
  [
    'open/a thread id of an existing session is thread_not_found in the new session',
    { parent: parentWithSession, session: { open: {} }, thread: 'sibling-thread', namedThread: named.threadOfParentSession },
    { code: 'thread_not_found', details: { threadId: 'sibling-thread', sessionId: NEW_SESSION } },
  ],
];

describe('resolvePlacement', () => {
  it.each(table)('%s', (_name, row, expected) => {
    const outcome = resolvePlacement({ ...row, newSessionId: NEW_SESSION, newThreadId: NEW_THREAD });
    if ('code' in expected) thenError(outcome, expected.code, expected.details);
    else expect(outcome).toEqual(E.right(expected));
  });

  it('the table reaches every substrate', () => {
    const substrates = new Set(table.map(([, , expected]) => ('substrate' in expected ? expected.substrate : undefined)).filter(Boolean));
    expect([...substrates].sort()).toEqual(['run', 'session', 'session_thread', 'thread']);
  });
});

describe('placementLookups', () => {
  it.each<[SessionTarget, ThreadTarget, { sessionId?: string; threadId?: string }]>([
    ['inherit', 'inherit', {}],
    ['none', 'none', {}],
    [{ open: {} }, { start: { name: 'n' } }, {}],
    ['session-1', 'inherit', { sessionId: 'session-1' }],
    ['inherit', 'thread-1', { threadId: 'thread-1' }],
    ['session-1', { threadId: 'thread-1' }, { sessionId: 'session-1', threadId: 'thread-1' }],
  ])('session %j and thread %j read %j', (session, thread, expected) => {
    const lookups = placementLookups(session, thread);
    expect({ sessionId: lookups.sessionId, threadId: lookups.threadId }).toEqual({ sessionId: expected.sessionId, threadId: expected.threadId });
  });

  it.each<[SessionTarget, ThreadTarget, { inheritedSessionId?: string; inheritedThreadId?: string }]>([
    ['inherit', 'inherit', { inheritedSessionId: PARENT_SESSION, inheritedThreadId: PARENT_THREAD }],
    ['inherit', 'none', { inheritedSessionId: PARENT_SESSION }],
    ['none', 'inherit', {}],
    ['session-1', 'inherit', {}],
  ])("session %j and thread %j under a parent with a session read the parent's %j", (session, thread, expected) => {
    const lookups = placementLookups(session, thread, parentWithSession);
    expect({ inheritedSessionId: lookups.inheritedSessionId, inheritedThreadId: lookups.inheritedThreadId }).toEqual({
      inheritedSessionId: expected.inheritedSessionId,
      inheritedThreadId: expected.inheritedThreadId,
    });
  });
});
