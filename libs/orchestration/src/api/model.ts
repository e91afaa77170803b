import * as t from 'io-ts';
import type { JsonValue } from '@runtree/event-store';
import { JsonObjectCodec, JsonValueCodec } from '../events/json.codec.js';
import { describedAs, documented } from '../validation/schema-annotation.js';

// The results of the API, written once as codecs: the TypeScript types below, the OpenAPI and the
// AsyncAPI documents are derived from them (see validation/json-schema.ts).

export type JsonObject = { [key: string]: JsonValue };

const timestamp = describedAs(new t.Type<string, string, unknown>('timestamp', t.string.is, t.string.validate, t.identity), {
  type: 'string',
  format: 'date-time',
});

/** Only `running` is not terminal. */
export const RunStatusCodec = t.keyof({ running: null, completed: null, failed: null, cancelled: null });
export const RelationValueCodec = t.keyof({ spawned: null, delegated: null });
export const SubstrateValueCodec = t.keyof({ run: null, session: null, thread: null, session_thread: null });
const OpenOrClosedCodec = t.keyof({ open: null, closed: null });

export type RunStatus = t.TypeOf<typeof RunStatusCodec>;
export type StepStatus = RunStatus;
export type Relation = t.TypeOf<typeof RelationValueCodec>;
export type Substrate = t.TypeOf<typeof SubstrateValueCodec>;

const revision = documented(t.string, "Revision of the run's stream (`run-<runId>`) this view reflects");

const runSummaryRequired = { runId: t.string, kind: t.string, status: RunStatusCodec, createdAt: timestamp, updatedAt: timestamp, revision };
/** Present on a child run. */
const runSummaryOptional = { sessionId: t.string, threadId: t.string, parentRunId: t.string, relation: RelationValueCodec, substrate: SubstrateValueCodec };

export const RunCodec = t.readonly(
  t.intersection([
    t.type({ ...runSummaryRequired, metadata: documented(JsonObjectCodec, "The caller's metadata, plus `orchestrator` (the lineage) for a child run") }),
    t.partial({ ...runSummaryOptional, input: JsonValueCodec, output: JsonValueCodec, error: JsonValueCodec, cancelReason: JsonValueCodec }),
  ]),
  'Run',
);
export type Run = t.TypeOf<typeof RunCodec>;

/** A run without its payloads (`metadata`, `input`, `output`, `error`, `cancelReason`). */
export type RunSummary = Omit<Run, 'metadata' | 'input' | 'output' | 'error' | 'cancelReason'>;

/** A run as `listRuns` gives it: the payloads asked for with `include`, no others. */
export const ListedRunCodec = t.readonly(
  t.intersection([
    t.type(runSummaryRequired),
    t.partial({
      ...runSummaryOptional,
      metadata: documented(JsonObjectCodec, 'Only with include=metadata'),
      input: documented(JsonValueCodec, 'Only with include=input'),
      output: documented(JsonValueCodec, 'Only with include=output'),
      error: documented(JsonValueCodec, 'Only with include=output'),
      cancelReason: documented(JsonValueCodec, 'Only with include=output'),
    }),
  ]),
  'ListedRun',
);
export type ListedRun = t.TypeOf<typeof ListedRunCodec>;

/** One page of `listRuns`, newest first. */
export const RunPageCodec = t.readonly(
  t.intersection([
    t.type({ runs: t.array(ListedRunCodec) }),
    /** Present when more runs follow: pass it as `cursor` for the next page. */
    t.partial({ nextCursor: documented(t.string, 'Present when more runs follow: the `cursor` of the next page') }),
  ]),
  'RunPage',
);
export type RunPage = t.TypeOf<typeof RunPageCodec>;

export const StepCodec = t.readonly(
  t.intersection([
    t.type({ stepId: t.string, runId: t.string, name: t.string, kind: t.string, status: RunStatusCodec, startedAt: timestamp, updatedAt: timestamp }),
    t.partial({ input: JsonValueCodec, output: JsonValueCodec, error: JsonValueCodec }),
  ]),
  'Step',
);
export type Step = t.TypeOf<typeof StepCodec>;

export const SessionCodec = t.readonly(
  t.intersection([t.type({ sessionId: t.string, metadata: JsonObjectCodec, status: OpenOrClosedCodec, createdAt: timestamp }), t.partial({ ownerRunId: t.string })]),
  'Session',
);
export type Session = t.TypeOf<typeof SessionCodec>;

export const ThreadCodec = t.readonly(
  t.intersection([
    t.type({ threadId: t.string, sessionId: t.string, metadata: JsonObjectCodec, status: OpenOrClosedCodec, createdAt: timestamp }),
    t.partial({ name: t.string }),
  ]),
  'Thread',
);
export type Thread = t.TypeOf<typeof ThreadCodec>;

/** The lineage record of a child. */
export const LinkCodec = t.readonly(
  t.intersection([
    t.type({
      parentRunId: t.string,
      childRunId: t.string,
      relation: RelationValueCodec,
      substrate: SubstrateValueCodec,
      metadata: documented(JsonObjectCodec, "The caller's metadata as given"),
      ownsSession: t.boolean,
      stopSessionOnCancel: t.boolean,
      sequence: documented(t.number, 'Order of creation under the parent, from 0'),
      createdAt: timestamp,
    }),
    t.partial({ task: JsonValueCodec, childSessionId: t.string, childThreadId: t.string }),
  ]),
  'Link',
);
export type Link = t.TypeOf<typeof LinkCodec>;

export const ChildCodec = t.readonly(
  t.intersection([
    t.type({ relation: RelationValueCodec, substrate: SubstrateValueCodec, parentRunId: t.string, run: RunCodec, metadata: JsonObjectCodec }),
    t.partial({
      task: JsonValueCodec,
      sessionId: t.string,
      threadId: t.string,
      ownsSession: t.boolean,
      stopSessionOnCancel: t.boolean,
      /** The thread record, when one was started or resumed for the child. */
      thread: ThreadCodec,
    }),
  ]),
  'Child',
);
export type Child = t.TypeOf<typeof ChildCodec>;

export const ChildStatusCodec = t.readonly(
  t.intersection([
    t.type({ run: RunCodec, stepCount: t.number, activeStepCount: t.number, childCount: t.number, activeChildCount: t.number, awaitable: t.boolean }),
    t.partial({
      relation: RelationValueCodec,
      parentRunId: t.string,
      substrate: SubstrateValueCodec,
      sessionId: t.string,
      threadId: t.string,
      metadata: JsonObjectCodec,
      task: JsonValueCodec,
    }),
  ]),
  'ChildStatus',
);
export type ChildStatus = t.TypeOf<typeof ChildStatusCodec>;

export const JournalEntryCodec = t.readonly(
  t.type({
    eventId: t.string,
    type: t.string,
    streamName: t.string,
    revision: t.string,
    position: documented(t.string, '`commit/prepare` of the global log'),
    data: JsonValueCodec,
    metadata: JsonValueCodec,
    created: timestamp,
  }),
  'JournalEntry',
);
export type JournalEntry = t.TypeOf<typeof JournalEntryCodec>;

export const CollectResultCodec = t.readonly(
  t.intersection([
    t.type({ run: RunCodec, children: t.array(ChildCodec) }),
    t.partial({
      link: LinkCodec,
      steps: t.array(StepCodec),
      /** Depth-first pre-order; siblings oldest first. */
      descendants: t.array(ChildCodec),
      /** Merged in global commit order. */
      journal: t.array(JournalEntryCodec),
    }),
  ]),
  'CollectResult',
);
export type CollectResult = t.TypeOf<typeof CollectResultCodec>;

/** A run that is still running when the timeout passes rejects with code `timeout` instead. */
export const AwaitResultCodec = t.readonly(
  t.intersection([
    t.type({ status: t.keyof({ completed: null, failed: null, cancelled: null }), run: RunCodec }),
    t.partial({ output: JsonValueCodec, error: JsonValueCodec, cancelReason: JsonValueCodec }),
  ]),
  'AwaitResult',
);
export type AwaitResult = t.TypeOf<typeof AwaitResultCodec>;

export const CancelResultCodec = t.readonly(
  t.type({
    runId: t.string,
    /** The runs this call moved to `cancelled`, descendants before their ancestors. Empty when nothing was running. */
    cancelled: documented(t.array(t.string), 'The runs this call cancelled, descendants before their ancestors'),
  }),
  'CancelResult',
);
export type CancelResult = t.TypeOf<typeof CancelResultCodec>;
