import * as t from 'io-ts';
import { objectCodec } from '@runtree/orchestration';
import type { BusOperation } from './bus-names.js';

// The one place the bus payload shapes are written. Each names the Orchestrator's arguments; their
// values are checked by the facade (which names the same fields), so only the keys are checked here.
// Operations whose only options are the command's ids take them at the top level, the others
// inside `options` as the facade defines them.

const commandIds = { commandId: t.unknown, correlationId: t.unknown, causationId: t.unknown };

function payload<R extends t.Props, O extends t.Props>(operation: BusOperation, required: R, optional: O) {
  return objectCodec(`the ${operation} payload`, { required, optional });
}

export const busPayloads = {
  'run.start': payload('run.start', {}, { options: t.unknown }),
  'run.spawn': payload('run.spawn', { parent: t.unknown }, { options: t.unknown }),
  'run.delegate': payload('run.delegate', { parent: t.unknown, task: t.unknown }, { options: t.unknown }),
  'run.cancel': payload('run.cancel', { runId: t.unknown }, { reason: t.unknown, ...commandIds }),
  'run.complete': payload('run.complete', { runId: t.unknown }, { output: t.unknown, ...commandIds }),
  'run.fail': payload('run.fail', { runId: t.unknown, error: t.unknown }, commandIds),
  'step.start': payload('step.start', { runId: t.unknown }, { options: t.unknown }),
  'step.complete': payload('step.complete', { runId: t.unknown, stepId: t.unknown }, { output: t.unknown, ...commandIds }),
  'step.fail': payload('step.fail', { runId: t.unknown, stepId: t.unknown, error: t.unknown }, commandIds),
  'run.status': payload('run.status', { runId: t.unknown }, {}),
  'run.collect': payload('run.collect', { runId: t.unknown }, { options: t.unknown }),
  'run.children': payload('run.children', { parent: t.unknown }, {}),
  'run.await': payload('run.await', { runId: t.unknown, timeoutMs: t.unknown }, {}),
  'run.list': payload('run.list', {}, { options: t.unknown }),
  'session.open': payload('session.open', {}, { options: t.unknown }),
  'session.close': payload('session.close', { sessionId: t.unknown }, commandIds),
  'thread.start': payload('thread.start', { sessionId: t.unknown }, { options: t.unknown }),
  'thread.close': payload('thread.close', { threadId: t.unknown }, commandIds),
} satisfies Record<BusOperation, t.Decoder<unknown, unknown>>;

export type BusPayload<K extends BusOperation> = t.TypeOf<(typeof busPayloads)[K]>;
