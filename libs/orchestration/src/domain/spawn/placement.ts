import * as E from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../api/errors.js';
import type { Substrate } from '../../api/model.js';
import type { SessionTarget, ThreadTarget } from '../../api/options.js';
import type { ChildPlacement } from '../../events/run-events.js';
import { checkSessionUsable, type SessionState } from '../session/session-decider.js';
import { checkThreadUsable, type ThreadState } from '../thread/thread-decider.js';

/** The streams a spawn must read before it can place the child: named ones, and the parent's when inherited. */
export function placementLookups(
  session: SessionTarget,
  thread: ThreadTarget,
  parent: { readonly sessionId?: string; readonly threadId?: string } = {},
): { sessionId?: string; threadId?: string; inheritedSessionId?: string; inheritedThreadId?: string } {
  const inheritsSession = session === 'inherit' && parent.sessionId !== undefined;
  return {
    sessionId: typeof session === 'string' && session !== 'inherit' && session !== 'none' ? session : undefined,
    threadId: typeof thread === 'string' ? (thread === 'inherit' || thread === 'none' ? undefined : thread) : 'threadId' in thread ? thread.threadId : undefined,
    inheritedSessionId: inheritsSession ? parent.sessionId : undefined,
    inheritedThreadId: inheritsSession && thread === 'inherit' ? parent.threadId : undefined,
  };
}

export interface PlacementInput {
  readonly parent: { readonly sessionId?: string; readonly threadId?: string };
  readonly session: SessionTarget;
  readonly thread: ThreadTarget;
  /** States of the session / thread named by the targets (see placementLookups). */
  readonly namedSession?: SessionState;
  readonly namedThread?: ThreadState;
  /** States of the parent's session and thread when the child inherits them: closed ones refuse the child. */
  readonly inheritedSession?: SessionState;
  readonly inheritedThread?: ThreadState;
  /** Ids for a session or thread the spawn opens. */
  readonly newSessionId: string;
  readonly newThreadId: string;
}

export interface Placement {
  readonly placement: ChildPlacement;
  readonly substrate: Substrate;
}

/** Where the child runs: the session and thread rules of the spec, and the substrate they give. */
export function resolvePlacement(input: PlacementInput): E.Either<DomainError, Placement> {
  const { parent, session, thread } = input;
  let sessionId: string | undefined;
  let inherited = false;
  let openSession: ChildPlacement['openSession'];
  let stopSessionOnCancel = false;
  if (session === 'inherit') {
    sessionId = parent.sessionId;
    inherited = sessionId !== undefined;
    const usable = input.inheritedSession && inherited ? checkSessionUsable(input.inheritedSession) : E.right(undefined);
    if (E.isLeft(usable)) return usable;
  } else if (session === 'none') {
    sessionId = undefined;
  } else if (typeof session === 'string') {
    const usable = checkSessionUsable(input.namedSession!);
    if (E.isLeft(usable)) return usable;
    sessionId = session;
    inherited = session === parent.sessionId;
  } else {
    sessionId = input.newSessionId;
    openSession = { metadata: session.open.metadata ?? {} };
    stopSessionOnCancel = session.stopOnCancel ?? true;
  }

  let threadId: string | undefined;
  let explicitThread = false;
  let startThread: ChildPlacement['startThread'];
  let resumeThread = false;
  if (thread === 'inherit') {
    threadId = inherited ? parent.threadId : undefined;
    const usable = input.inheritedThread && threadId !== undefined && sessionId !== undefined ? checkThreadUsable(input.inheritedThread, sessionId) : E.right(undefined);
    if (E.isLeft(usable)) return usable;
  } else if (thread !== 'none') {
    if (sessionId === undefined) {
      return E.left(domainError('session_required_for_thread', 'A thread needs a session: the child has none', { field: 'thread' }));
    }
    explicitThread = true;
    if (typeof thread !== 'string' && 'start' in thread) {
      threadId = input.newThreadId;
      startThread = { metadata: thread.start.metadata ?? {}, ...(thread.start.name !== undefined ? { name: thread.start.name } : {}) };
    } else {
      const usable = checkThreadUsable(input.namedThread!, sessionId);
      if (E.isLeft(usable)) return usable;
      threadId = usable.right.threadId;
      resumeThread = true;
    }
  }

  const otherSession = sessionId !== undefined && !inherited;
  const substrate: Substrate = otherSession
    ? threadId !== undefined
      ? 'session_thread'
      : 'session'
    : inherited && explicitThread
      ? 'thread'
      : 'run';
  const placement: ChildPlacement = {
    ownsSession: openSession !== undefined,
    stopSessionOnCancel,
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
    ...(openSession ? { openSession } : {}),
    ...(startThread ? { startThread } : {}),
    ...(resumeThread ? { resumeThread } : {}),
  };
  return E.right({ placement, substrate });
}
