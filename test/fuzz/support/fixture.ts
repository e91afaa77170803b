import type { Orchestrator } from '@runtree/orchestration';

export type PathParam = 'runId' | 'stepId' | 'sessionId' | 'threadId';

/** Existing records requests are aimed at, so that a defect is the only thing wrong with a request. */
export type Fixture = { readonly [P in PathParam]: string };

/** A running run with a running step, in an open session and thread: what the fuzz suites aim at. */
export async function createFixture(orchestrator: Orchestrator): Promise<Fixture> {
  const { sessionId } = await orchestrator.openSession({ sessionId: 'fuzz-session' });
  const { threadId } = await orchestrator.startThread(sessionId, { threadId: 'fuzz-thread' });
  const { runId } = await orchestrator.startRun({ runId: 'fuzz-run', sessionId, threadId });
  const { stepId } = await orchestrator.startStep(runId, { stepId: 'fuzz-step' });
  return { runId, stepId, sessionId, threadId };
}
