import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue, Position } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import { runDecider } from '../domain/run/run-decider.js';
import type { ReadStore } from '@runtree/read-store';
import { READ_STORE } from '../module/tokens.js';
import { CancelTreeProcess } from '../processes/cancel-tree.process.js';
import { runStream } from '../streams/stream-names.js';
import type { CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { ChildMaterializer } from '../processes/child-materializer.js';

export interface CancelOutcome {
  /** Runs this command cancelled, descendants before their ancestors. */
  readonly cancelled: string[];
  readonly position?: Position;
}

export class CancelTreeCommand extends Command<E.Either<DomainError, CancelOutcome>> {
  constructor(
    readonly runId: string,
    readonly reason: JsonValue,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Cancels a run's tree: the protocol and its crash points are in processes/cancel-tree.process.ts. */
@CommandHandler(CancelTreeCommand)
export class CancelTreeHandler implements ICommandHandler<CancelTreeCommand> {
  constructor(
    private readonly streams: StreamRepository,
    private readonly materializer: ChildMaterializer,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute(command: CancelTreeCommand): Promise<E.Either<DomainError, CancelOutcome>> {
    const cancelTree = new CancelTreeProcess(this.streams, this.materializer, command.reason, command.context, this.readStore);
    const root = await this.streams.load(runStream(command.runId), command.runId, runDecider);
    if (!root.state.exists) return E.left(domainError('not_found', `Run ${command.runId} not found`, { runId: command.runId }));
    const origin = root.state.cancelRequested?.origin ?? 'root';
    const done = await cancelTree.cancel(command.runId, origin === 'root' ? command.reason : (root.state.cancelRequested?.reason ?? command.reason), origin);
    if (E.isLeft(done)) return done;
    return E.right({ cancelled: cancelTree.cancelled, position: cancelTree.lastPosition });
  }
}
