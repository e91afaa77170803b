import type { CommandOptions } from '../api/options.js';
import type { EventMetadata } from '../events/event-metadata.js';
import type { CommandContext } from '../write/event-envelope.js';
import type { Clock, IdGenerator } from '../module/tokens.js';
import { nameBasedUuid } from '../write/name-based-uuid.js';
import { activeTraceContext } from '../tracing/trace-context.js';

/** A command's identity: given by the caller (so a retry is recognised) or generated; and the trace it runs in. */
export function commandContext(options: CommandOptions, clock: Clock, generateId: IdGenerator): CommandContext {
  const commandId = options.commandId ?? generateId();
  return {
    commandId,
    correlationId: options.correlationId ?? commandId,
    causationId: options.causationId ?? commandId,
    occurredAt: clock().toISOString(),
    ...activeTraceContext(),
  };
}

/**
 * The context of the command that wrote an event, for work that finishes it later (after a crash):
 * its command, correlation, causation and trace, as recorded; `occurredAt` is now.
 */
export function recordedCommandContext(recorded: EventMetadata, occurredAt: string): CommandContext {
  return {
    commandId: recorded.commandId,
    correlationId: recorded.correlationId,
    causationId: recorded.causationId,
    occurredAt,
    ...(recorded.traceparent !== undefined ? { traceparent: recorded.traceparent } : {}),
    ...(recorded.tracestate !== undefined ? { tracestate: recorded.tracestate } : {}),
  };
}

/** `alreadyApplied` for commands that are recognised by their command id in the stream. */
export const seenCommand =
  (context: CommandContext) =>
  (state: { readonly commandIds: ReadonlySet<string> }): boolean =>
    state.commandIds.has(context.commandId);

/** What a command gives back: the ids it touched and the log position readers must reach. */
export interface CommandOutcome {
  readonly position?: import('@runtree/event-store').Position;
}

const createdIdFor = nameBasedUuid('9b3c1f52-0d7e-4a57-8f0e-6c2d8e41b9a4');

/**
 * The id of something a command creates (a run, step, session or thread) when the caller gave none:
 * derived from the command id, so a retried command creates the same thing, not a second one.
 */
export function createdId(context: CommandContext, purpose: 'run' | 'child' | 'session' | 'thread' | 'step'): string {
  return createdIdFor(`${context.commandId}|${purpose}`);
}
