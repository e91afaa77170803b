import * as t from 'io-ts';
import { defaultValidationLimits, inputCodecs, objectCodec, type ErrorCode, type ObjectRules, type ValidationLimits } from '@runtree/orchestration';
import { apiShapes } from '../protocol/api-shapes.js';
import type { BusOperation } from './bus-names.js';

// The one place the bus's requests and replies are written, from the facade's codecs. Every request
// is one flat JSON object: the ids the operation addresses (`runId`, `parent`, ...), its JSON argument
// (`task`, `output`, `error`, `reason`) and its options, the fields of the HTTP body of the same call.

interface OptionsCodec {
  readonly shape: { readonly optional: t.Props };
  readonly rules: ObjectRules;
}

export interface BusOperationShape {
  readonly summary: string;
  readonly request: t.Decoder<unknown, { readonly [key: string]: unknown }> & { readonly shape: { readonly required: t.Props; readonly optional: t.Props }; readonly rules: ObjectRules };
  /** The `value` of a successful reply. */
  readonly value: t.Decoder<unknown, unknown>;
  /** The codes an error reply of this operation can carry (besides those of every operation). */
  readonly errors: readonly ErrorCode[];
}

/** Codes any operation can answer: a request it cannot read, a store that is down. `internal_error` is a bug. */
export const errorsOfEveryOperation: readonly string[] = ['unsupported_option', 'invalid_option', 'store_unavailable', 'internal_error'];

const substrateErrors: readonly ErrorCode[] = ['session_not_found', 'thread_not_found', 'session_closed', 'thread_closed', 'already_exists', 'conflict'];
const childErrors: readonly ErrorCode[] = [...substrateErrors, 'invalid_parent', 'parent_not_found', 'parent_not_running', 'invalid_session_target', 'invalid_thread_target', 'session_required_for_thread', 'policy_denied'];
const transitionErrors: readonly ErrorCode[] = ['not_found', 'invalid_status_transition', 'conflict'];

export const BusOperationsListCodec = t.readonly(
  t.type({
    operations: t.array(t.readonly(t.type({ operation: t.string, subject: t.string, summary: t.string }))),
    /** Where the service serves the AsyncAPI document with every request and reply schema. */
    asyncapi: t.string,
  }),
  'BusOperations',
);

/** Every operation's request, reply value and error codes; the request fields are checked against the service's limits. */
export function busOperationShapes(limits: ValidationLimits): { readonly [K in BusOperation]: BusOperationShape } {
  const codecs = inputCodecs(limits);
  // The results HTTP answers with too: the same codecs, so the documents name them alike.
  const results = apiShapes(limits);
  const request = (operation: BusOperation, required: t.Props, options?: OptionsCodec, optional: t.Props = {}) =>
    objectCodec(`the ${operation} request`, { required, optional: { ...options?.shape.optional, ...optional } }, options?.rules ?? {});
  const runId = { runId: codecs.id };
  return {
    'run.start': { summary: 'Start a root run', request: request('run.start', {}, codecs.startRun), value: results.Run, errors: substrateErrors },
    'run.spawn': { summary: 'Spawn a child run', request: request('run.spawn', { parent: codecs.parent }, codecs.spawn), value: results.Child, errors: childErrors },
    'run.delegate': {
      summary: 'Delegate a task to a child run',
      request: request('run.delegate', { parent: codecs.parent, task: codecs.payload }, codecs.delegate),
      value: results.Run,
      errors: childErrors,
    },
    'run.cancel': {
      summary: 'Cancel a run and every running descendant',
      request: request('run.cancel', runId, codecs.command, { reason: codecs.payload }),
      value: results.CancelResult,
      errors: transitionErrors,
    },
    'run.complete': { summary: 'Complete a running run', request: request('run.complete', runId, codecs.command, { output: codecs.payload }), value: results.Run, errors: transitionErrors },
    'run.fail': { summary: 'Fail a running run', request: request('run.fail', { ...runId, error: codecs.payload }, codecs.command), value: results.Run, errors: transitionErrors },
    'step.start': { summary: 'Start a step in a running run', request: request('step.start', runId, codecs.startStep), value: results.Step, errors: [...transitionErrors, 'already_exists'] },
    'step.complete': {
      summary: 'Complete a running step',
      request: request('step.complete', { ...runId, stepId: codecs.id }, codecs.command, { output: codecs.payload }),
      value: results.Step,
      errors: transitionErrors,
    },
    'step.fail': {
      summary: 'Fail a running step',
      request: request('step.fail', { ...runId, stepId: codecs.id, error: codecs.payload }, codecs.command),
      value: results.Step,
      errors: transitionErrors,
    },
    'run.status': { summary: "A run's status, step and child counts", request: request('run.status', runId), value: results.ChildStatus, errors: ['not_found'] },
    'run.collect': { summary: 'Collect a run: children, link, steps, descendants, journal', request: request('run.collect', runId, codecs.collect), value: results.CollectResult, errors: ['not_found'] },
    'run.children': { summary: 'The direct children, oldest first', request: request('run.children', { parent: codecs.parent }), value: t.array(results.Child), errors: ['invalid_parent', 'not_found'] },
    'run.await': {
      summary: 'Wait until the run is terminal (`timeout` if it still runs after timeoutMs)',
      request: request('run.await', { ...runId, timeoutMs: codecs.timeoutMs }),
      value: results.AwaitResult,
      errors: ['not_found', 'invalid_timeout', 'timeout'],
    },
    'run.list': { summary: 'List runs, newest first, a page at a time', request: request('run.list', {}, codecs.listRuns), value: results.RunPage, errors: [] },
    'session.open': { summary: 'Open a session', request: request('session.open', {}, codecs.openSession), value: results.Session, errors: ['already_exists', 'conflict'] },
    'session.close': { summary: 'Close a session', request: request('session.close', { sessionId: codecs.id }, codecs.command), value: results.Session, errors: ['session_not_found', 'session_closed', 'conflict'] },
    'thread.start': {
      summary: 'Start a thread in an open session',
      request: request('thread.start', { sessionId: codecs.id }, codecs.startThread),
      value: results.Thread,
      errors: ['session_not_found', 'session_closed', 'already_exists', 'conflict'],
    },
    'thread.close': { summary: 'Close a thread', request: request('thread.close', { threadId: codecs.id }, codecs.command), value: results.Thread, errors: ['thread_not_found', 'thread_closed', 'conflict'] },
    'bus.operations': { summary: 'List the operations of this bus and where their schemas are', request: request('bus.operations', {}), value: BusOperationsListCodec, errors: [] },
  };
}

/** A request codec that checks only which fields are there: the facade checks their values, naming the same fields. */
function fieldsOnly(shape: BusOperationShape): t.Decoder<unknown, { readonly [key: string]: unknown }> {
  const unknownValues = (props: t.Props) => Object.fromEntries(Object.keys(props).map((key) => [key, t.unknown]));
  return objectCodec(shape.request.name, { required: unknownValues(shape.request.shape.required), optional: unknownValues(shape.request.shape.optional) }, shape.request.rules);
}

const shapes = busOperationShapes(defaultValidationLimits);

/** What the intake decodes a request with. */
export const busRequestFields = Object.fromEntries(Object.entries(shapes).map(([operation, shape]) => [operation, fieldsOnly(shape)])) as {
  readonly [K in BusOperation]: t.Decoder<unknown, { readonly [key: string]: unknown }>;
};

/** Each operation with its summary, as the discovery reply lists them. */
export const busOperationSummaries = Object.entries(shapes).map(([operation, shape]) => ({ operation: operation as BusOperation, summary: shape.summary }));
