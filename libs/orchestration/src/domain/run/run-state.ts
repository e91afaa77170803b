import type { JsonValue } from '@runtree/event-store';
import type { RunStatus, StepStatus } from '../../api/model.js';
import type { CancelOrigin, ChildLinked, Lineage } from '../../events/run-events.js';
import type { DomainEvent } from '../../events/event-registry.js';
import type { EventContext } from '../decider.js';

export interface LinkState {
  readonly relation: 'spawned' | 'delegated';
  readonly link: ChildLinked;
  /** Id of the link event: the seed of every id the child's creation derives. */
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
  readonly children: LinkState[];
  readonly cancelRequested?: { readonly reason: JsonValue; readonly origin: CancelOrigin };
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

/** A link as the parent's state keeps it, from its ChildSpawned / ChildDelegated event. */
export function linkStateOf(event: Extract<DomainEvent, { type: 'ChildSpawned' | 'ChildDelegated' }>, eventId: string, commandId: string): LinkState {
  return { relation: event.type === 'ChildSpawned' ? 'spawned' : 'delegated', link: event.data, eventId, commandId };
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
    case 'ChildDelegated':
      state.children.push(linkStateOf(event, context.eventId, context.commandId));
      return state;
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
      return { ...state, cancelRequested: event.data };
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
