import type { UncheckedOrchestratorApi } from '@runtree/orchestration';
import type { BusNames, BusOperation } from './bus-names.js';
import { busOperationSummaries } from './bus-payloads.js';
import { ASYNCAPI_PATH } from '../protocol/document-paths.js';

/** What an operation is given: its request, read by `busRequestFields` (every field it names, nothing else). */
type Request = { readonly [key: string]: unknown };

export interface OperationContext {
  /** Requests reach the facade undecoded: its codecs check them. */
  readonly orchestrator: UncheckedOrchestratorApi;
  readonly names: BusNames;
}

type OperationCall = (context: OperationContext, request: Request) => Promise<unknown>;

/** What each bus operation asks of the Orchestrator: the request's addressed ids and argument, the rest as the options. */
export const busOperationCalls: { readonly [K in BusOperation]: OperationCall } = {
  'run.start': ({ orchestrator }, options) => orchestrator.startRun(options),
  'run.spawn': ({ orchestrator }, { parent, ...options }) => orchestrator.spawn(parent, options),
  'run.delegate': ({ orchestrator }, { parent, task, ...options }) => orchestrator.delegate(parent, task, options),
  'run.cancel': ({ orchestrator }, { runId, reason, ...options }) => orchestrator.cancel(runId, reason, options),
  'run.complete': ({ orchestrator }, { runId, output, ...options }) => orchestrator.completeRun(runId, output, options),
  'run.fail': ({ orchestrator }, { runId, error, ...options }) => orchestrator.failRun(runId, error, options),
  'step.start': ({ orchestrator }, { runId, ...options }) => orchestrator.startStep(runId, options),
  'step.complete': ({ orchestrator }, { runId, stepId, output, ...options }) => orchestrator.completeStep(runId, stepId, output, options),
  'step.fail': ({ orchestrator }, { runId, stepId, error, ...options }) => orchestrator.failStep(runId, stepId, error, options),
  'run.status': ({ orchestrator }, { runId }) => orchestrator.status(runId),
  'run.collect': ({ orchestrator }, { runId, ...options }) => orchestrator.collect(runId, options),
  'run.children': ({ orchestrator }, { parent }) => orchestrator.listChildren(parent),
  'run.await': ({ orchestrator }, { runId, timeoutMs }) => orchestrator.await(runId, timeoutMs),
  'run.list': ({ orchestrator }, options) => orchestrator.listRuns(options),
  'session.open': ({ orchestrator }, options) => orchestrator.openSession(options),
  'session.close': ({ orchestrator }, { sessionId, ...options }) => orchestrator.closeSession(sessionId, options),
  'thread.start': ({ orchestrator }, { sessionId, ...options }) => orchestrator.startThread(sessionId, options),
  'thread.close': ({ orchestrator }, { threadId, ...options }) => orchestrator.closeThread(threadId, options),
  'bus.operations': async ({ names }) => ({
    operations: busOperationSummaries.map(({ operation, summary }) => ({ operation, subject: names.pattern(operation), summary })),
    asyncapi: ASYNCAPI_PATH,
  }),
};
