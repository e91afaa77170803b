import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue, Position } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import { runDecider } from '../domain/run/run-decider.js';
import type { ReadStore } from '@runtree/read-store';
import { READ_STORE } from '../module/tokens.js';
import { CancelTreeProcess, PREFETCHED_RUNS_PER_READ } from '../processes/cancel-tree.process.js';
import { DescendantPrefetch } from '../processes/descendant-prefetch.js';
import { runStream } from '../streams/stream-names.js';
import type { CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { ChildMaterializer } from '../processes/child-materializer.js';

/** Most of a tree's runs whose ids are read from the read side to read their streams ahead of the walk. */
const MAX_PREFETCHED_RUNS = 65_536;

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
    const [root, descendants] = await Promise.all([
      this.streams.load(runStream(command.runId), command.runId, runDecider),
      // Only a hint: without it (the read side down) each level is read as the walk meets it.
      this.readStore.descendantIds(command.runId, MAX_PREFETCHED_RUNS).catch((): string[] => []),
    ]);
    const prefetch = new DescendantPrefetch(descendants, PREFETCHED_RUNS_PER_READ);
    const cancelTree = new CancelTreeProcess(this.streams, this.materializer, command.reason, command.context, prefetch);
    if (!root.state.exists) return E.left(domainError('not_found', `Run ${command.runId} not found`, { runId: command.runId }));
    const origin = root.state.cancelRequested?.origin ?? 'root';
    const done = await cancelTree.cancel(command.runId, origin === 'root' ? command.reason : (root.state.cancelRequested?.reason ?? command.reason), origin);
    if (E.isLeft(done)) return done;
    return E.right({ cancelled: cancelTree.cancelled, position: cancelTree.lastPosition });
  }
}
