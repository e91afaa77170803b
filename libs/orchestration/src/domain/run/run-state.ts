import type { JsonValue } from '@runtree/event-store';
import type { RunStatus, StepStatus } from '../../api/model.js';
import type { CancelOrigin, ChildLinked, Lineage } from '../../events/run-events.js';
import type { DomainEvent } from '../../events/event-registry.js';
import type { EventContext } from '../decider.js';

/**
 * A child as its parent's state keeps it: no payloads (the link event has them, at `revision` of
 * the parent's stream), so a cached parent of many children stays small.
 */
export interface ChildRef {
  readonly relation: 'spawned' | 'delegated';
  readonly childRunId: string;
  /** Id of the link event: the seed of every id the child's creation derives. */
  readonly eventId: string;
  readonly commandId: string;
  readonly revision: bigint;
}

/** A link with its event's data: everything needed to finish creating the child. */
export interface LinkedChild {
  readonly relation: 'spawned' | 'delegated';
  readonly link: ChildLinked;
  readonly eventId: string;
  readonly commandId: string;
}

export interface RunState {
  readonly exists: boolean;
  readonly runId: string;
  readonly status: RunStatus;
  readonly sessionId?: string;
  readonly threadId?: string;
  readonly lineage?: Lineage;
  readonly steps: Map<string, StepStatus>;
  readonly children: ChildRef[];
  /** `revision`: where the CancelRequested is in the stream (recovery continues that cancel's context). */
  readonly cancelRequested?: { readonly reason: JsonValue; readonly origin: CancelOrigin; readonly revision: bigint };
  /** The command that cancelled the run, to answer a retried cancel with the same result. */
  readonly cancelledByCommandId?: string;
  /** Every command that wrote to this stream: a retried command appends nothing. */
  readonly commandIds: Set<string>;
}

export const initialRunState = (runId: string): RunState => ({
  exists: false,
  runId,
  status: 'running',
  steps: new Map(),
  children: [],
  commandIds: new Set(),
});

const stepStatusAfter = { StepStarted: 'running', StepCompleted: 'completed', StepFailed: 'failed', StepCancelled: 'cancelled' } as const;

type LinkEvent = Extract<DomainEvent, { type: 'ChildSpawned' | 'ChildDelegated' }>;

/** The link a ChildSpawned / ChildDelegated event records, with its data. */
export function linkedChildOf(event: LinkEvent, eventId: string, commandId: string): LinkedChild {
  return { relation: event.type === 'ChildSpawned' ? 'spawned' : 'delegated', link: event.data, eventId, commandId };
}

/**
 * Bytes of heap a run's state holds, about: fitted to states folded from stored events (ids as
 * flat strings) with 0 to 1,000 children, steps and commands, measured with `--expose-gc` (within
 * 10% of the measure from 1 to 1,000 children).
 */
export function weighRun(state: RunState): number {
  // The one payload a state keeps: the reason of a requested cancel (recovery finishes the cancel with it).
  const reason = state.cancelRequested === undefined ? 0 : 2 * JSON.stringify(state.cancelRequested.reason).length;
  return 900 + state.children.length * 200 + state.steps.size * 90 + state.commandIds.size * 90 + reason;
}

export function evolveRun(state: RunState, event: DomainEvent, context: EventContext): RunState {
  state.commandIds.add(context.commandId);
  switch (event.type) {
    case 'RunStarted':
      return {
        ...state,
        exists: true,
        runId: event.data.runId,
        status: 'running',
        sessionId: event.data.sessionId,
        threadId: event.data.threadId,
        lineage: event.data.lineage,
      };
    case 'ChildSpawned':
    case 'ChildDelegated': {
      const relation = event.type === 'ChildSpawned' ? 'spawned' : 'delegated';
      state.children.push({ relation, childRunId: event.data.childRunId, eventId: context.eventId, commandId: context.commandId, revision: context.revision });
      return state;
    }
    case 'StepStarted':
    case 'StepCompleted':
    case 'StepFailed':
    case 'StepCancelled':
      state.steps.set(event.data.stepId, stepStatusAfter[event.type]);
      return state;
    case 'RunCompleted':
      return { ...state, status: 'completed' };
    case 'RunFailed':
      return { ...state, status: 'failed' };
    case 'CancelRequested':
      return { ...state, cancelRequested: { ...event.data, revision: context.revision } };
    case 'RunCancelled':
      return { ...state, status: 'cancelled', cancelledByCommandId: context.commandId };
    default:
      return state;
  }
}

/** Steps still running, in start order. */
export function runningSteps(state: RunState): string[] {
  return [...state.steps].filter(([, status]) => status === 'running').map(([stepId]) => stepId);
}
