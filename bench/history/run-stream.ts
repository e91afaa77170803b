import * as E from 'fp-ts/lib/Either.js';
import type { EventToAppend, ExpectedRevision } from '@runtree/event-store';
import { runStream } from '@runtree/orchestration';
// Not part of the package's API: the decider and envelope the write side itself appends with.
import { runDecider, type RunCommand } from '../../libs/orchestration/src/domain/run/run-decider.js';
import type { RunState } from '../../libs/orchestration/src/domain/run/run-state.js';
import type { DomainEvent } from '../../libs/orchestration/src/events/event-registry.js';
import { envelope, type CommandContext } from '../../libs/orchestration/src/write/event-envelope.js';

/** One stream write, ready for `appendToStream`. */
export interface JournalAppend {
  readonly streamName: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
  /** When the command was decided (`occurredAt`): what the store would have recorded as the append's time. */
  readonly appendedAtMs: number;
}

/**
 * A run's stream as the write side keeps it (`StreamRepository.execute` without the store): each
 * command is decided by the run decider on the folded state, enveloped with ids and the hash chain
 * continuing the stream's, and folded in. What comes out is what the service would append.
 */
export class RunStream {
  readonly streamName: string;
  private folded: RunState;
  private revision = -1n;
  private lastHash = '';

  constructor(readonly runId: string) {
    this.streamName = runStream(runId);
    this.folded = runDecider.initialState(runId);
  }

  get state(): RunState {
    return this.folded;
  }

  /** The append `command` makes, with the events decided; throws the domain error when the decider refuses it (a bug in the generator). */
  decide(command: RunCommand, context: CommandContext, idSeed?: string): { readonly append: JournalAppend; readonly decided: readonly DomainEvent[] } {
    const decided = runDecider.decide(command, this.folded);
    if (E.isLeft(decided)) throw new Error(`${command.type} on ${this.streamName}: ${decided.left.message}`);
    const first = this.revision + 1n;
    const { events, lastHash } = envelope(this.streamName, first, this.lastHash, decided.right, context, idSeed);
    decided.right.forEach((event, index) => {
      const revision = first + BigInt(index);
      this.folded = runDecider.evolve(this.folded, event, { eventId: events[index].id, commandId: context.commandId, occurredAt: context.occurredAt, revision });
    });
    const expectedRevision: ExpectedRevision = this.revision < 0n ? 'no_stream' : this.revision;
    this.revision += BigInt(events.length);
    this.lastHash = lastHash;
    return { append: { streamName: this.streamName, events, expectedRevision, appendedAtMs: Date.parse(context.occurredAt) }, decided: decided.right };
  }
}
