import type { DomainEvent } from '../events/event-registry.js';
import type { ChildPlacement } from '../events/run-events.js';

const NO_METADATA = Object.freeze({});

function placementWithoutPayloads(placement: ChildPlacement): ChildPlacement {
  const { openSession, startThread, ...rest } = placement;
  return {
    ...rest,
    ...(openSession !== undefined ? { openSession: { metadata: NO_METADATA } } : {}),
    ...(startThread !== undefined ? { startThread: { metadata: NO_METADATA, ...(startThread.name !== undefined ? { name: startThread.name } : {}) } } : {}),
  };
}

/**
 * The event as a fold needs it: inputs, outputs, errors, tasks and metadata dropped (none of the
 * deciders' states reads them). What the stream cache keeps of the appends it has not folded yet,
 * so a cached stream never pins a payload in the heap.
 */
export function withoutPayloads(event: DomainEvent): DomainEvent {
  switch (event.type) {
    case 'RunStarted': {
      const { input: _input, ...data } = event.data;
      return { type: event.type, data: { ...data, metadata: NO_METADATA } };
    }
    case 'ChildSpawned':
    case 'ChildDelegated': {
      const { input: _input, task: _task, ...data } = event.data;
      return { type: event.type, data: { ...data, metadata: NO_METADATA, placement: placementWithoutPayloads(data.placement) } };
    }
    case 'StepStarted': {
      const { input: _input, ...data } = event.data;
      return { type: event.type, data };
    }
    case 'StepCompleted':
      return { type: event.type, data: { stepId: event.data.stepId } };
    case 'StepFailed':
      return { type: event.type, data: { stepId: event.data.stepId, error: null } };
    case 'StepCancelled':
      return { type: event.type, data: { stepId: event.data.stepId, reason: null } };
    case 'RunCompleted':
      return { type: event.type, data: {} };
    case 'RunFailed':
      return { type: event.type, data: { error: null } };
    case 'RunCancelled':
      return { type: event.type, data: { reason: null, origin: event.data.origin } };
    case 'SessionOpened':
    case 'ThreadStarted':
      return { type: event.type, data: { ...event.data, metadata: NO_METADATA } } as DomainEvent;
    // The run's state keeps the reason of a requested cancel: recovery finishes the cancel with it.
    case 'CancelRequested':
    case 'SpawnDenied':
    case 'SessionClosed':
    case 'ThreadResumed':
    case 'ThreadClosed':
      return event;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
