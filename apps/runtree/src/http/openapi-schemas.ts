import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { errorCodes } from '@runtree/orchestration';

// The shapes of the HTTP API, written once. They become the document's `components.schemas`, and
// routes refer to them by name (`schemaRef`), so a shape is never described twice.

type Schema = SchemaObject | ReferenceObject;

function componentRef(name: string): ReferenceObject {
  return { $ref: `#/components/schemas/${name}` };
}

const string: SchemaObject = { type: 'string' };
const timestamp: SchemaObject = { type: 'string', format: 'date-time' };
const json: SchemaObject = { description: 'Any JSON value' };
const jsonObject: SchemaObject = { type: 'object', additionalProperties: true };
const runStatus: SchemaObject = { type: 'string', enum: ['running', 'completed', 'failed', 'cancelled'] };
const relation: SchemaObject = { type: 'string', enum: ['spawned', 'delegated'] };
const substrate: SchemaObject = { type: 'string', enum: ['run', 'session', 'thread', 'session_thread'] };
const openOrClosed: SchemaObject = { type: 'string', enum: ['open', 'closed'] };

const commandOptionProperties: Record<string, Schema> = {
  commandId: { type: 'string', description: 'Makes a retry append nothing. The Idempotency-Key header sets it too (they must agree).' },
  correlationId: string,
  causationId: string,
};

const sessionTarget: SchemaObject = {
  description: "'inherit' (default), 'none', an open session's id, or { open: { metadata? }, stopOnCancel? }",
  oneOf: [
    { type: 'string' },
    { type: 'object', required: ['open'], properties: { open: { type: 'object', properties: { metadata: jsonObject } }, stopOnCancel: { type: 'boolean' } } },
  ],
};

const threadTarget: SchemaObject = {
  description: "'inherit' (default), 'none', a thread id, { threadId }, or { start: { name?, metadata? } }",
  oneOf: [
    { type: 'string' },
    { type: 'object', required: ['threadId'], properties: { threadId: string } },
    { type: 'object', required: ['start'], properties: { start: { type: 'object', properties: { name: string, metadata: jsonObject } } } },
  ],
};

const childOptionProperties: Record<string, Schema> = {
  ...commandOptionProperties,
  runId: string,
  kind: string,
  metadata: jsonObject,
  session: sessionTarget,
  thread: threadTarget,
};

function object(required: string[], properties: Record<string, Schema>, description?: string): SchemaObject {
  return { type: 'object', required, properties, additionalProperties: false, ...(description ? { description } : {}) };
}

/** Every named shape; `schemaRef(name)` points at one. */
export const apiSchemas = {
  Run: object(['runId', 'kind', 'status', 'metadata', 'createdAt', 'updatedAt', 'revision'], {
    runId: string,
    kind: string,
    status: runStatus,
    input: json,
    output: json,
    error: json,
    cancelReason: json,
    sessionId: string,
    threadId: string,
    metadata: { ...jsonObject, description: "The caller's metadata, plus `orchestrator` (the lineage) for a child run" },
    parentRunId: string,
    relation,
    substrate,
    createdAt: timestamp,
    updatedAt: timestamp,
    revision: { type: 'string', description: "Revision of the run's stream this view reflects" },
  }),
  Step: object(['stepId', 'runId', 'name', 'kind', 'status', 'startedAt', 'updatedAt'], {
    stepId: string,
    runId: string,
    name: string,
    kind: string,
    status: runStatus,
    input: json,
    output: json,
    error: json,
    startedAt: timestamp,
    updatedAt: timestamp,
  }),
  Session: object(['sessionId', 'metadata', 'status', 'createdAt'], {
    sessionId: string,
    metadata: jsonObject,
    status: openOrClosed,
    ownerRunId: string,
    createdAt: timestamp,
  }),
  Thread: object(['threadId', 'sessionId', 'metadata', 'status', 'createdAt'], {
    threadId: string,
    sessionId: string,
    name: string,
    metadata: jsonObject,
    status: openOrClosed,
    createdAt: timestamp,
  }),
  Link: object(['parentRunId', 'childRunId', 'relation', 'substrate', 'metadata', 'ownsSession', 'stopSessionOnCancel', 'sequence', 'createdAt'], {
    parentRunId: string,
    childRunId: string,
    relation,
    substrate,
    metadata: jsonObject,
    task: json,
    childSessionId: string,
    childThreadId: string,
    ownsSession: { type: 'boolean' },
    stopSessionOnCancel: { type: 'boolean' },
    sequence: { type: 'integer', minimum: 0 },
    createdAt: timestamp,
  }),
  Child: object(['relation', 'substrate', 'parentRunId', 'run', 'metadata'], {
    relation,
    substrate,
    parentRunId: string,
    run: componentRef('Run'),
    metadata: jsonObject,
    task: json,
    sessionId: string,
    threadId: string,
    ownsSession: { type: 'boolean' },
    stopSessionOnCancel: { type: 'boolean' },
    thread: componentRef('Thread'),
  }),
  ChildStatus: object(['run', 'stepCount', 'activeStepCount', 'childCount', 'activeChildCount', 'awaitable'], {
    run: componentRef('Run'),
    stepCount: { type: 'integer' },
    activeStepCount: { type: 'integer' },
    childCount: { type: 'integer' },
    activeChildCount: { type: 'integer' },
    awaitable: { type: 'boolean' },
    relation,
    parentRunId: string,
    substrate,
    sessionId: string,
    threadId: string,
    metadata: jsonObject,
    task: json,
  }),
  JournalEntry: object(['eventId', 'type', 'streamName', 'revision', 'position', 'data', 'metadata', 'created'], {
    eventId: string,
    type: string,
    streamName: string,
    revision: string,
    position: { type: 'string', description: '`commit/prepare` of the global log' },
    data: json,
    metadata: json,
    created: timestamp,
  }),
  CollectResult: object(['run', 'children'], {
    run: componentRef('Run'),
    children: { type: 'array', items: componentRef('Child') },
    link: componentRef('Link'),
    steps: { type: 'array', items: componentRef('Step') },
    descendants: { type: 'array', items: componentRef('Child'), description: 'Depth-first pre-order; siblings oldest first' },
    journal: { type: 'array', items: componentRef('JournalEntry'), description: 'Merged in global commit order' },
  }),
  AwaitResult: object(['status', 'run'], {
    status: { type: 'string', enum: ['completed', 'failed', 'cancelled'] },
    run: componentRef('Run'),
    output: json,
    error: json,
    cancelReason: json,
  }),
  CancelResult: object(['runId', 'cancelled'], {
    runId: string,
    cancelled: { type: 'array', items: string, description: 'The runs this call cancelled, descendants before their ancestors' },
  }),
  ListedRun: object(['runId', 'kind', 'status', 'createdAt', 'updatedAt', 'revision'], {
    runId: string,
    kind: string,
    status: runStatus,
    metadata: { ...jsonObject, description: 'Only with include=metadata' },
    input: { ...json, description: 'Only with include=input' },
    output: { ...json, description: 'Only with include=output' },
    error: { ...json, description: 'Only with include=output' },
    cancelReason: { ...json, description: 'Only with include=output' },
    sessionId: string,
    threadId: string,
    parentRunId: string,
    relation,
    substrate,
    createdAt: timestamp,
    updatedAt: timestamp,
    revision: { type: 'string', description: "Revision of the run's stream this view reflects" },
  }),
  RunPage: object(['runs'], {
    runs: { type: 'array', items: componentRef('ListedRun'), description: 'Newest first' },
    nextCursor: { type: 'string', description: 'Present when more runs follow: the `cursor` of the next page' },
  }),
  Ok: object(['ok'], { ok: { type: 'boolean', enum: [true] } }),
  JournalVerification: object(['runId', 'tree', 'ok', 'eventCount', 'streamCount', 'problems'], {
    runId: string,
    tree: { type: 'boolean' },
    ok: { type: 'boolean', description: 'True when every check holds' },
    eventCount: { type: 'integer' },
    streamCount: { type: 'integer' },
    problems: { type: 'array', items: object(['where', 'message'], { where: string, message: string }), description: 'In journal order, as `runtree journal verify` prints them' },
  }),
  ErrorEnvelope: object(['error'], {
    error: object(['code', 'message', 'details'], {
      code: { type: 'string', enum: [...errorCodes, 'internal_error'] },
      message: string,
      details: { ...jsonObject, description: 'The field and reason, the statuses involved, ...' },
    }),
  }),
  StartRunRequest: object([], { ...commandOptionProperties, runId: string, kind: string, input: json, metadata: jsonObject, sessionId: string, threadId: string }),
  SpawnRequest: object([], { ...childOptionProperties, input: json }),
  DelegateRequest: object(['task'], { ...childOptionProperties, task: { ...json, description: "The child's input" } }),
  CancelRequest: object([], { ...commandOptionProperties, reason: json }),
  CompleteRequest: object([], { ...commandOptionProperties, output: json }),
  FailRequest: object(['error'], { ...commandOptionProperties, error: json }),
  StartStepRequest: object([], { ...commandOptionProperties, stepId: string, name: string, kind: string, input: json }),
  OpenSessionRequest: object([], { ...commandOptionProperties, sessionId: string, metadata: jsonObject }),
  StartThreadRequest: object([], { ...commandOptionProperties, threadId: string, name: string, metadata: jsonObject }),
  CommandRequest: object([], commandOptionProperties),
} satisfies Record<string, SchemaObject>;

export type ApiSchemaName = keyof typeof apiSchemas;

export function schemaRef(name: ApiSchemaName): ReferenceObject {
  return componentRef(name);
}

export function arrayOf(name: ApiSchemaName): SchemaObject {
  return { type: 'array', items: componentRef(name) };
}
