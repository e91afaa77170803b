import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../events/event-registry.js';
import { given, thenError, thenEvents, thenNothing } from '../testing/given-when-then.js';
import { checkSessionUsable, sessionDecider } from './session-decider.js';

const SESSION = 'session-1';
const opened: DomainEvent = { type: 'SessionOpened', data: { sessionId: SESSION, metadata: {} } };
const closed: DomainEvent = { type: 'SessionClosed', data: {} };

const unknownSession = () => given(sessionDecider, SESSION, []);
const openSession = () => given(sessionDecider, SESSION, [opened]);
const closedSession = () => given(sessionDecider, SESSION, [opened, closed]);

describe('session decider', () => {
  describe('OpenSession', () => {
    it('opens a session with its metadata', () => {
      thenEvents(unknownSession().when({ type: 'OpenSession', metadata: { team: 'a' } }), {
        type: 'SessionOpened',
        data: { sessionId: SESSION, metadata: { team: 'a' } },
      });
    });

    it('records the run that owns a session a spawn opened', () => {
      thenEvents(unknownSession().when({ type: 'OpenSession', metadata: {}, ownerRunId: 'child-1' }), {
        type: 'SessionOpened',
        data: { sessionId: SESSION, metadata: {}, ownerRunId: 'child-1' },
      });
    });

    it.each([
      ['open', openSession],
      ['closed', closedSession],
    ])('refuses a session id taken by a %s session: already_exists', (_status, scenario) => {
      thenError(scenario().when({ type: 'OpenSession', metadata: {} }), 'already_exists', { sessionId: SESSION });
    });
  });

  describe('CloseSession', () => {
    it('closes an open session', () => {
      thenEvents(openSession().when({ type: 'CloseSession' }), closed);
    });

    it('records the cancelled owner that closed it', () => {
      thenEvents(openSession().when({ type: 'CloseSession', byRunId: 'child-1' }), { type: 'SessionClosed', data: { byRunId: 'child-1' } });
    });

    it('refuses an unknown session: session_not_found', () => {
      thenError(unknownSession().when({ type: 'CloseSession' }), 'session_not_found', { sessionId: SESSION });
    });

    it('closing a closed session changes nothing', () => {
      thenNothing(closedSession().when({ type: 'CloseSession' }));
    });
  });

  describe('checkSessionUsable', () => {
    it('accepts an open session', () => {
      const { state } = openSession();
      expect(checkSessionUsable(state)).toEqual(E.right(state));
    });

    it.each([
      ['an unknown session', unknownSession, 'session_not_found'],
      ['a closed session', closedSession, 'session_closed'],
    ] as const)('refuses %s: %s', (_name, scenario, code) => {
      thenError(checkSessionUsable(scenario().state), code, { sessionId: SESSION });
    });
  });

  describe('evolve', () => {
    it('keeps the owner, the status and every command id', () => {
      const scenario = given(sessionDecider, SESSION, [{ type: 'SessionOpened', data: { sessionId: SESSION, metadata: {}, ownerRunId: 'child-1' } }, closed]);
      expect(scenario.state).toMatchObject({ exists: true, status: 'closed', ownerRunId: 'child-1' });
      expect([...scenario.state.commandIds]).toEqual(scenario.contexts.map((context) => context.commandId));
    });
  });
});
