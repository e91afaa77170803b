import type { Orchestrator, Run, Session, Thread } from '@runtree/orchestration';

/** An open session with an open thread, and a second open session with its own thread. */
export interface SubstrateFixture {
  readonly session: Session;
  readonly thread: Thread;
  readonly otherSession: Session;
  readonly otherThread: Thread;
}

export async function openSubstrates(orchestrator: Orchestrator): Promise<SubstrateFixture> {
  const session = await orchestrator.openSession({ metadata: { purpose: 'acceptance' } });
  const thread = await orchestrator.startThread(session.sessionId, { name: 'main' });
  const otherSession = await orchestrator.openSession();
  const otherThread = await orchestrator.startThread(otherSession.sessionId, { name: 'elsewhere' });
  return { session, thread, otherSession, otherThread };
}

/** A root run executing in the fixture's session and thread. */
export function startRootInThread(orchestrator: Orchestrator, fixture: SubstrateFixture): Promise<Run> {
  return orchestrator.startRun({ kind: 'acceptance_root', sessionId: fixture.session.sessionId, threadId: fixture.thread.threadId });
}

/** A root run executing in the fixture's session, with no thread. */
export function startRootInSession(orchestrator: Orchestrator, fixture: SubstrateFixture): Promise<Run> {
  return orchestrator.startRun({ kind: 'acceptance_root', sessionId: fixture.session.sessionId });
}
