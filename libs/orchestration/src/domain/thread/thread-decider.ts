import * as E from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../api/errors.js';
import type { JsonObject } from '../../api/model.js';
import type { DomainEvent } from '../../events/event-registry.js';
import type { Decider } from '../decider.js';

export interface ThreadState {
  readonly exists: boolean;
  readonly threadId: string;
  readonly sessionId?: string;
  readonly status: 'open' | 'closed';
  /** Runs that resumed the thread, so a retried resume appends nothing. */
  readonly resumedBy: Set<string>;
  readonly commandIds: Set<string>;
}

export type ThreadCommand =
  | { readonly type: 'StartThread'; readonly sessionId: string; readonly name?: string; readonly metadata: JsonObject; readonly startedByRunId?: string }
  | { readonly type: 'ResumeThread'; readonly runId: string }
  | { readonly type: 'CloseThread' };

export const threadNotFound = (threadId: string, sessionId?: string): DomainError =>
  domainError('thread_not_found', sessionId ? `Thread ${threadId} not found in session ${sessionId}` : `Thread ${threadId} not found`, {
    threadId,
    ...(sessionId ? { sessionId } : {}),
  });

export const threadDecider: Decider<ThreadState, ThreadCommand> = {
  initialState: (threadId) => ({ exists: false, threadId, status: 'open', resumedBy: new Set(), commandIds: new Set() }),
  evolve(state, event, context) {
    state.commandIds.add(context.commandId);
    switch (event.type) {
      case 'ThreadStarted':
        return { ...state, exists: true, sessionId: event.data.sessionId, status: 'open' };
      case 'ThreadResumed':
        state.resumedBy.add(event.data.runId);
        return state;
      case 'ThreadClosed':
        return { ...state, status: 'closed' };
      default:
        return state;
    }
  },
  decide(command, state): E.Either<DomainError, DomainEvent[]> {
    if (command.type === 'StartThread') {
      if (state.exists) return E.left(domainError('already_exists', `Thread ${state.threadId} already exists`, { threadId: state.threadId }));
      const { type: _type, ...rest } = command;
      return E.right([{ type: 'ThreadStarted', data: { threadId: state.threadId, ...rest } }]);
    }
    if (!state.exists) return E.left(threadNotFound(state.threadId));
    if (command.type === 'CloseThread') return E.right(state.status === 'closed' ? [] : [{ type: 'ThreadClosed', data: {} }]);
    if (state.resumedBy.has(command.runId)) return E.right([]);
    if (state.status === 'closed') return E.left(threadClosed(state));
    return E.right([{ type: 'ThreadResumed', data: { runId: command.runId } }]);
  },
  weigh: (state) => 550 + (state.resumedBy.size + state.commandIds.size) * 90,
};

const threadClosed = (state: ThreadState): DomainError =>
  domainError('thread_closed', `Thread ${state.threadId} is closed`, { threadId: state.threadId });

/** A thread a run of `sessionId` may use: it exists in that session and is open. */
export function checkThreadUsable(state: ThreadState, sessionId: string): E.Either<DomainError, ThreadState> {
  if (!state.exists || state.sessionId !== sessionId) return E.left(threadNotFound(state.threadId, sessionId));
  if (state.status === 'closed') return E.left(threadClosed(state));
  return E.right(state);
}
