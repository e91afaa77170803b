import type { UncheckedOrchestratorApi } from '@runtree/orchestration';
import type { BusOperation } from './bus-names.js';
import type { BusPayload } from './bus-payloads.js';

/** The top-level command ids of an operation without other options, as the facade's options. */
function commandOptions(payload: { commandId?: unknown; correlationId?: unknown; causationId?: unknown }) {
  return { commandId: payload.commandId, correlationId: payload.correlationId, causationId: payload.causationId };
}

type OperationCall<K extends BusOperation> = (orchestrator: UncheckedOrchestratorApi, payload: BusPayload<K>) => Promise<unknown>;

/** What each bus operation asks of the Orchestrator, given its decoded payload. */
export const busOperationCalls: { readonly [K in BusOperation]: OperationCall<K> } = {
  'run.start': (orchestrator, p) => orchestrator.startRun(p.options),
  'run.spawn': (orchestrator, p) => orchestrator.spawn(p.parent, p.options),
  'run.delegate': (orchestrator, p) => orchestrator.delegate(p.parent, p.task, p.options),
  'run.cancel': (orchestrator, p) => orchestrator.cancel(p.runId, p.reason, commandOptions(p)),
  'run.complete': (orchestrator, p) => orchestrator.completeRun(p.runId, p.output, commandOptions(p)),
  'run.fail': (orchestrator, p) => orchestrator.failRun(p.runId, p.error, commandOptions(p)),
  'step.start': (orchestrator, p) => orchestrator.startStep(p.runId, p.options),
  'step.complete': (orchestrator, p) => orchestrator.completeStep(p.runId, p.stepId, p.output, commandOptions(p)),
  'step.fail': (orchestrator, p) => orchestrator.failStep(p.runId, p.stepId, p.error, commandOptions(p)),
  'run.status': (orchestrator, p) => orchestrator.status(p.runId),
  'run.collect': (orchestrator, p) => orchestrator.collect(p.runId, p.options),
  'run.children': (orchestrator, p) => orchestrator.listChildren(p.parent),
  'run.await': (orchestrator, p) => orchestrator.await(p.runId, p.timeoutMs),
  'run.list': (orchestrator, p) => orchestrator.listRuns(p.options),
  'session.open': (orchestrator, p) => orchestrator.openSession(p.options),
  'session.close': (orchestrator, p) => orchestrator.closeSession(p.sessionId, commandOptions(p)),
  'thread.start': (orchestrator, p) => orchestrator.startThread(p.sessionId, p.options),
  'thread.close': (orchestrator, p) => orchestrator.closeThread(p.threadId, commandOptions(p)),
};
