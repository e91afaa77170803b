import * as t from 'io-ts';
import { JsonObjectCodec } from './json.codec.js';

export const SessionOpenedCodec = t.intersection([
  t.type({ sessionId: t.string, metadata: JsonObjectCodec }),
  t.partial({ ownerRunId: t.string }),
]);
/** `byRunId`: closed because that run, which owned it, was cancelled. */
export const SessionClosedCodec = t.partial({ byRunId: t.string });

export const ThreadStartedCodec = t.intersection([
  t.type({ threadId: t.string, sessionId: t.string, metadata: JsonObjectCodec }),
  t.partial({ name: t.string, startedByRunId: t.string }),
]);
export const ThreadResumedCodec = t.type({ runId: t.string });
export const ThreadClosedCodec = t.type({});
