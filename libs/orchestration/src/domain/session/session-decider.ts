import * as E from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../api/errors.js';
import type { JsonObject } from '../../api/model.js';
import type { DomainEvent } from '../../events/event-registry.js';
import type { Decider } from '../decider.js';

export interface SessionState {
  readonly exists: boolean;
  readonly sessionId: string;
  readonly status: 'open' | 'closed';
  readonly ownerRunId?: string;
  readonly commandIds: Set<string>;
}

export type SessionCommand =
  | { readonly type: 'OpenSession'; readonly metadata: JsonObject; readonly ownerRunId?: string }
  | { readonly type: 'CloseSession'; readonly byRunId?: string };

export const sessionNotFound = (sessionId: string): DomainError =>
  domainError('session_not_found', `Session ${sessionId} not found`, { sessionId });

export const sessionDecider: Decider<SessionState, SessionCommand> = {
  initialState: (sessionId) => ({ exists: false, sessionId, status: 'open', commandIds: new Set() }),
  evolve(state, event, context) {
    state.commandIds.add(context.commandId);
    if (event.type === 'SessionOpened') return { ...state, exists: true, status: 'open', ownerRunId: event.data.ownerRunId };
    if (event.type === 'SessionClosed') return { ...state, status: 'closed' };
    return state;
  },
  decide(command, state): E.Either<DomainError, DomainEvent[]> {
    if (command.type === 'OpenSession') {
      if (state.exists) return E.left(domainError('already_exists', `Session ${state.sessionId} already exists`, { sessionId: state.sessionId }));
      const ownerRunId = command.ownerRunId !== undefined ? { ownerRunId: command.ownerRunId } : {};
      return E.right([{ type: 'SessionOpened', data: { sessionId: state.sessionId, metadata: command.metadata, ...ownerRunId } }]);
    }
    if (!state.exists) return E.left(sessionNotFound(state.sessionId));
    // Closing a closed session changes nothing.
    if (state.status === 'closed') return E.right([]);
    return E.right([{ type: 'SessionClosed', data: command.byRunId !== undefined ? { byRunId: command.byRunId } : {} }]);
  },
  weigh: (state) => 500 + state.commandIds.size * 90,
};

/** A session a new run or thread may use: it exists and is open. */
export function checkSessionUsable(state: SessionState): E.Either<DomainError, SessionState> {
  if (!state.exists) return E.left(sessionNotFound(state.sessionId));
  if (state.status === 'closed') return E.left(domainError('session_closed', `Session ${state.sessionId} is closed`, { sessionId: state.sessionId }));
  return E.right(state);
}
