import * as E from 'fp-ts/lib/Either.js';
import type { JsonObject, RunStatus } from '../../api/model.js';
import type { JsonValue } from '@runtree/event-store';
import { domainError, type DomainError } from '../../api/errors.js';
import type { DomainEvent } from '../../events/event-registry.js';
import type { CancelOrigin, ChildLinked, Lineage } from '../../events/run-events.js';
import type { Decider } from '../decider.js';
import { evolveRun, initialRunState, runningSteps, weighRun, type RunState } from './run-state.js';

export type RunCommand =
  | {
      readonly type: 'StartRun';
      readonly runId: string;
      readonly kind: string;
      readonly metadata: JsonObject;
      readonly input?: JsonValue;
      readonly sessionId?: string;
      readonly threadId?: string;
      readonly lineage?: Lineage;
    }
  | { readonly type: 'LinkChild'; readonly relation: 'spawned' | 'delegated'; readonly link: Omit<ChildLinked, 'sequence'> }
  | { readonly type: 'RecordSpawnDenial'; readonly relation: 'spawned' | 'delegated'; readonly kind: string; readonly limit: string; readonly reason: string; readonly childRunId?: string }
  | { readonly type: 'StartStep'; readonly stepId: string; readonly name: string; readonly kind: string; readonly input?: JsonValue }
  | { readonly type: 'CompleteStep'; readonly stepId: string; readonly output?: JsonValue }
  | { readonly type: 'FailStep'; readonly stepId: string; readonly error: JsonValue }
  | { readonly type: 'CompleteRun'; readonly output?: JsonValue }
  | { readonly type: 'FailRun'; readonly error: JsonValue }
  | { readonly type: 'RequestCancel'; readonly reason: JsonValue; readonly origin: CancelOrigin }
  | { readonly type: 'CancelRun'; readonly reason: JsonValue; readonly origin: CancelOrigin };

const notFound = (state: RunState): DomainError => domainError('not_found', `Run ${state.runId} not found`, { runId: state.runId });

function transitionError(runId: string, from: RunStatus, to: RunStatus, entity: 'run' | 'step', id: string): DomainError {
  return domainError('invalid_status_transition', `Cannot move ${entity} ${id} from ${from} to ${to}`, { runId, [`${entity}Id`]: id, from, to });
}

/** Ending a run cancels its running steps first, in the same append. */
function endRun(state: RunState, terminal: DomainEvent, stepReason: JsonValue): DomainEvent[] {
  const cancelledSteps: DomainEvent[] = runningSteps(state).map((stepId) => ({ type: 'StepCancelled', data: { stepId, reason: stepReason } }));
  return [...cancelledSteps, terminal];
}

/** A run accepts children only while running and not being cancelled. */
export function checkAcceptsChildren(state: RunState): E.Either<DomainError, RunState> {
  if (!state.exists) return E.left(domainError('parent_not_found', `Parent run ${state.runId} not found`, { parentRunId: state.runId }));
  if (state.status === 'running' && !state.cancelRequested) return E.right(state);
  const cancelling = state.status === 'running';
  return E.left(
    domainError('parent_not_running', `Parent run ${state.runId} is ${cancelling ? 'being cancelled' : state.status}`, {
      parentRunId: state.runId,
      status: state.status,
      ...(cancelling ? { cancelling: true } : {}),
    }),
  );
}

function decideRun(command: RunCommand, state: RunState): E.Either<DomainError, DomainEvent[]> {
  if (command.type === 'StartRun') {
    if (state.exists) return E.left(domainError('already_exists', `Run ${command.runId} already exists`, { runId: command.runId }));
    const { type: _type, ...data } = command;
    return E.right([{ type: 'RunStarted', data }]);
  }
  if (!state.exists && command.type !== 'LinkChild') return E.left(notFound(state));
  const runId = state.runId;
  switch (command.type) {
    case 'LinkChild': {
      const accepting = checkAcceptsChildren(state);
      if (E.isLeft(accepting)) return accepting;
      return E.right([
        { type: command.relation === 'spawned' ? 'ChildSpawned' : 'ChildDelegated', data: { ...command.link, sequence: state.children.length } },
      ]);
    }
    case 'RecordSpawnDenial': {
      const { type: _type, ...data } = command;
      return E.right([{ type: 'SpawnDenied', data }]);
    }
    case 'StartStep':
      if (state.steps.has(command.stepId)) return E.left(domainError('already_exists', `Step ${command.stepId} already exists in run ${runId}`, { runId, stepId: command.stepId }));
      if (state.status !== 'running') {
        return E.left(domainError('invalid_status_transition', `Run ${runId} is ${state.status}: steps start only while it is running`, { runId, stepId: command.stepId, from: state.status, to: 'running' }));
      }
      return E.right([{ type: 'StepStarted', data: { stepId: command.stepId, name: command.name, kind: command.kind, ...(command.input !== undefined ? { input: command.input } : {}) } }]);
    case 'CompleteStep':
    case 'FailStep': {
      const status = state.steps.get(command.stepId);
      if (status === undefined) return E.left(domainError('not_found', `Step ${command.stepId} not found in run ${runId}`, { runId, stepId: command.stepId }));
      const to = command.type === 'CompleteStep' ? 'completed' : 'failed';
      if (status !== 'running') return E.left(transitionError(runId, status, to, 'step', command.stepId));
      return E.right([
        command.type === 'CompleteStep'
          ? { type: 'StepCompleted', data: { stepId: command.stepId, ...(command.output !== undefined ? { output: command.output } : {}) } }
          : { type: 'StepFailed', data: { stepId: command.stepId, error: command.error } },
      ]);
    }
    case 'CompleteRun':
      if (state.status !== 'running') return E.left(transitionError(runId, state.status, 'completed', 'run', runId));
      return E.right(endRun(state, { type: 'RunCompleted', data: command.output !== undefined ? { output: command.output } : {} }, { runCompleted: runId }));
    case 'FailRun':
      if (state.status !== 'running') return E.left(transitionError(runId, state.status, 'failed', 'run', runId));
      return E.right(endRun(state, { type: 'RunFailed', data: { error: command.error } }, { runFailed: runId }));
    case 'RequestCancel':
      if (state.status !== 'running' || state.cancelRequested) return E.right([]);
      return E.right([{ type: 'CancelRequested', data: { reason: command.reason, origin: command.origin } }]);
    case 'CancelRun':
      if (state.status !== 'running') return E.right([]);
      return E.right(endRun(state, { type: 'RunCancelled', data: { reason: command.reason, origin: command.origin } }, { runCancelled: runId }));
  }
}

export const runDecider: Decider<RunState, RunCommand> = {
  initialState: initialRunState,
  evolve: evolveRun,
  decide: decideRun,
  weigh: weighRun,
};
