import * as t from 'io-ts';
import { JsonObjectCodec, JsonValueCodec } from './json.codec.js';

export const RelationCodec = t.keyof({ spawned: null, delegated: null });
export const SubstrateCodec = t.keyof({ run: null, session: null, thread: null, session_thread: null });
export const CancelOriginCodec = t.union([t.literal('root'), t.type({ childOf: t.string })]);

/**
 * Where a child runs, decided when it is linked: everything needed to finish creating the child
 * (open its session, start or resume its thread, start its run) from the link alone.
 */
export const ChildPlacementCodec = t.intersection([
  t.type({ ownsSession: t.boolean, stopSessionOnCancel: t.boolean }),
  t.partial({
    sessionId: t.string,
    threadId: t.string,
    /** Set when the child opens (and owns) a new session. */
    openSession: t.type({ metadata: JsonObjectCodec }),
    /** Set when the child starts a new thread. */
    startThread: t.intersection([t.type({ metadata: JsonObjectCodec }), t.partial({ name: t.string })]),
    /** Set when the child resumes an existing thread (given by id). */
    resumeThread: t.boolean,
  }),
]);

export const LineageCodec = t.intersection([
  t.type({
    parentRunId: t.string,
    relation: RelationCodec,
    substrate: SubstrateCodec,
    sequence: t.number,
  }),
  /** The session the child opened and owns; closed when the child is cancelled if `stopOnCancel`. */
  t.partial({ ownedSession: t.type({ sessionId: t.string, stopOnCancel: t.boolean }) }),
]);

export const RunStartedCodec = t.intersection([
  t.type({ runId: t.string, kind: t.string, metadata: JsonObjectCodec }),
  t.partial({ input: JsonValueCodec, sessionId: t.string, threadId: t.string, lineage: LineageCodec }),
]);

/** The link, written to the parent's stream before the child's stream exists (see spawn protocol). */
export const ChildLinkedCodec = t.intersection([
  t.type({
    childRunId: t.string,
    kind: t.string,
    substrate: SubstrateCodec,
    sequence: t.number,
    /** The caller's metadata as given. */
    metadata: JsonObjectCodec,
    placement: ChildPlacementCodec,
  }),
  t.partial({ input: JsonValueCodec, task: JsonValueCodec }),
]);

export const SpawnDeniedCodec = t.intersection([
  t.type({ relation: RelationCodec, kind: t.string, limit: t.string, reason: t.string }),
  t.partial({ childRunId: t.string }),
]);

export const StepStartedCodec = t.intersection([
  t.type({ stepId: t.string, name: t.string, kind: t.string }),
  t.partial({ input: JsonValueCodec }),
]);
export const StepCompletedCodec = t.intersection([t.type({ stepId: t.string }), t.partial({ output: JsonValueCodec })]);
export const StepFailedCodec = t.type({ stepId: t.string, error: JsonValueCodec });
export const StepCancelledCodec = t.type({ stepId: t.string, reason: JsonValueCodec });

export const RunCompletedCodec = t.partial({ output: JsonValueCodec });
export const RunFailedCodec = t.type({ error: JsonValueCodec });
/** Freezes the run: from here on it accepts no new child, while its descendants are being cancelled. */
export const CancelRequestedCodec = t.type({ reason: JsonValueCodec, origin: CancelOriginCodec });
export const RunCancelledCodec = t.type({ reason: JsonValueCodec, origin: CancelOriginCodec });

export type ChildPlacement = t.TypeOf<typeof ChildPlacementCodec>;
export type Lineage = t.TypeOf<typeof LineageCodec>;
export type CancelOrigin = t.TypeOf<typeof CancelOriginCodec>;
export type ChildLinked = t.TypeOf<typeof ChildLinkedCodec>;
