import { coded, oneOf } from './coded-codec.js';
import { metadataCodec, payloadCodec } from './json-codec.js';
import { cursorCodec, includeCodec, listLimitCodec, runStatusCodec, timestampCodec } from './list-codecs.js';
import { objectCodec } from './object-codec.js';
import { booleanCodec, idCodec, labelCodec, substrateIdCodec, timeoutCodec } from './scalar-codecs.js';
import { sessionTargetCodec, threadTargetCodec } from './target-codecs.js';
import type { ValidationLimits } from './validation-limits.js';

/** Every input codec, built once per limits object; each options shape is written here and nowhere else. */
function buildCodecs(limits: ValidationLimits) {
  const id = idCodec(limits);
  const substrateId = substrateIdCodec(limits);
  const label = labelCodec(limits);
  const metadata = metadataCodec(limits);
  const payload = payloadCodec(limits);
  const command = { commandId: id, correlationId: id, causationId: id };
  const childFields = {
    runId: id,
    kind: label,
    metadata,
    session: sessionTargetCodec({ id, label, metadata }),
    thread: threadTargetCodec({ id, label, metadata }),
    ...command,
  };
  const parentRun = objectCodec('the parent run', { required: { runId: id }, optional: {} }, { unknownKeys: 'ignore' });

  return {
    id,
    payload,
    timeoutMs: coded('invalid_timeout', timeoutCodec(limits)),
    parent: coded(
      'invalid_parent',
      oneOf<string | { readonly runId: string }>(
        'parent',
        [
          { matches: (u) => typeof u === 'string', codec: id },
          { matches: (u) => typeof u === 'object' && u !== null && !Array.isArray(u), codec: parentRun },
        ],
        'must be a run id or a run object with a runId',
      ),
    ),
    command: objectCodec('the command options', { required: {}, optional: command }),
    startRun: objectCodec('startRun', {
      required: {},
      optional: { runId: id, kind: label, input: payload, metadata, sessionId: substrateId, threadId: substrateId, ...command },
    }),
    spawn: objectCodec('spawn', { required: {}, optional: { ...childFields, input: payload } }),
    delegate: objectCodec('delegate', { required: {}, optional: childFields }, { refusedKeys: { input: 'is refused: the task is the input' } }),
    collect: objectCodec('collect', {
      required: {},
      optional: { includeSteps: booleanCodec, includeJournal: booleanCodec, includeDescendants: booleanCodec },
    }),
    openSession: objectCodec('openSession', { required: {}, optional: { sessionId: substrateId, metadata, ...command } }),
    startThread: objectCodec('startThread', { required: {}, optional: { threadId: substrateId, name: label, metadata, ...command } }),
    startStep: objectCodec('startStep', { required: {}, optional: { stepId: id, name: label, kind: label, input: payload, ...command } }),
    listRuns: objectCodec('listRuns', {
      required: {},
      optional: {
        status: runStatusCodec,
        kind: label,
        parentRunId: id,
        rootRunId: id,
        sessionId: id,
        threadId: id,
        createdAfter: timestampCodec,
        createdBefore: timestampCodec,
        limit: listLimitCodec(limits),
        cursor: cursorCodec,
        include: includeCodec,
      },
    }),
  };
}

export type InputCodecs = ReturnType<typeof buildCodecs>;

const built = new WeakMap<ValidationLimits, InputCodecs>();

export function inputCodecs(limits: ValidationLimits): InputCodecs {
  let codecs = built.get(limits);
  if (codecs === undefined) {
    codecs = buildCodecs(limits);
    built.set(limits, codecs);
  }
  return codecs;
}
