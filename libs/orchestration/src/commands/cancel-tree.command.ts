import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue, Position } from '@runtree/event-store';
import { comparePositions } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import { runDecider, type RunCommand } from '../domain/run/run-decider.js';
import type { RunState } from '../domain/run/run-state.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import type { CancelOrigin } from '../events/run-events.js';
import { runStream, sessionStream } from '../streams/stream-names.js';
import type { CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { ChildMaterializer } from './child-materializer.js';

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

/*
 * Cancel protocol, for each run of the tree, depth first:
 *  1. Freeze: append CancelRequested at the revision read. From then on the run accepts no child
 *     (a racing spawn's link append fails on the revision and its retry sees the freeze), so the
 *     children read after the freeze are all the children it will ever have. A running run with no
 *     children skips the freeze: RunCancelled at the revision that showed no children is as safe.
 *  2. Children: materialise any pending one (link written, run not yet), then cancel each
 *     subtree (siblings in parallel, so the store can group-commit them), terminal ones included
 *     since their running descendants are still cancelled.
 *  3. RunCancelled (with StepCancelled for running steps); then close the session it owns if
 *     `stopOnCancel`.
 * Every write is decided from the state read, so repeating the walk changes nothing already done.
 * Crash points: a frozen run that is still running, or a cancelled owner whose session is open,
 * is found by start-up recovery, which runs this same walk again from that run.
 */
@CommandHandler(CancelTreeCommand)
export class CancelTreeHandler implements ICommandHandler<CancelTreeCommand> {
  constructor(
    private readonly streams: StreamRepository,
    private readonly materializer: ChildMaterializer,
  ) {}

  async execute(command: CancelTreeCommand): Promise<E.Either<DomainError, CancelOutcome>> {
    const walk = new CancelWalk(this.streams, this.materializer, command.reason, command.context);
    const root = await this.streams.load(runStream(command.runId), command.runId, runDecider);
    if (!root.state.exists) return E.left(domainError('not_found', `Run ${command.runId} not found`, { runId: command.runId }));
    const origin = root.state.cancelRequested?.origin ?? 'root';
    const done = await walk.cancel(command.runId, origin === 'root' ? command.reason : (root.state.cancelRequested?.reason ?? command.reason), origin);
    if (E.isLeft(done)) return done;
    return E.right({ cancelled: walk.cancelled, position: walk.lastPosition });
  }
}

/** One cancellation of one tree: the runs it cancelled and the last position it wrote. */
export class CancelWalk {
  readonly cancelled: string[] = [];
  lastPosition?: Position;

  constructor(
    private readonly streams: StreamRepository,
    private readonly materializer: ChildMaterializer,
    /** The reason given by the caller: descendants get `{ cancelledByParent, reason }` with it. */
    private readonly givenReason: JsonValue,
    private readonly context: CommandContext,
  ) {}

  async cancel(runId: string, reason: JsonValue, origin: CancelOrigin): Promise<E.Either<DomainError, void>> {
    const stream = runStream(runId);
    const freeze = (state: RunState): E.Either<DomainError, RunCommand> => {
      if (!state.exists) return E.left(domainError('not_found', `Run ${runId} not found`, { runId }));
      const cancelNow = state.status === 'running' && state.children.length === 0;
      return E.right(cancelNow ? { type: 'CancelRun', reason, origin } : { type: 'RequestCancel', reason, origin });
    };
    const frozen = await this.streams.execute(stream, runId, runDecider, freeze, this.context);
    if (E.isLeft(frozen)) return frozen;
    this.track(frozen.right.position);
    if (frozen.right.appended.some((event) => event.type === 'RunCancelled')) return this.afterCancelled(runId, frozen.right.before);

    // The state the freeze was decided on (cached, the freeze folded in) lists every child the run
    // will ever have, since no link is accepted after the freeze: no need to read the stream again.
    const { state } = await this.streams.peek(stream, runId, runDecider);
    // A retried cancel reports the runs this command id cancelled the first time, in the same order.
    const cancelledEarlierByThisCommand = state.status === 'cancelled' && state.cancelledByCommandId === this.context.commandId;
    // The children's streams in one read, so each child's cancel decides on its cached state.
    await this.streams.warm(state.children.map(({ childRunId }) => ({ streamName: runStream(childRunId), id: childRunId })), runDecider);
    const subtrees = await Promise.all(
      state.children.map(async (child): Promise<E.Either<DomainError, void>> => {
        const materialized = await this.materializer.ensureMaterialized(runId, child, this.context);
        if (E.isLeft(materialized)) return materialized;
        this.track(materialized.right);
        return this.cancel(child.childRunId, { cancelledByParent: runId, reason: this.givenReason }, { childOf: runId });
      }),
    );
    const failed = subtrees.find(E.isLeft);
    if (failed) return failed;
    if (cancelledEarlierByThisCommand) this.cancelled.push(runId);

    const ended = await this.streams.execute(stream, runId, runDecider, { type: 'CancelRun', reason, origin }, this.context);
    if (E.isLeft(ended)) return ended;
    this.track(ended.right.position);
    if (ended.right.appended.length > 0) return this.afterCancelled(runId, ended.right.before);
    return E.right(undefined);
  }

  private async afterCancelled(runId: string, state: RunState): Promise<E.Either<DomainError, void>> {
    this.cancelled.push(runId);
    const owned = state.lineage?.ownedSession;
    if (!owned?.stopOnCancel) return E.right(undefined);
    const closed = await this.streams.execute(sessionStream(owned.sessionId), owned.sessionId, sessionDecider, { type: 'CloseSession', byRunId: runId }, this.context);
    if (E.isLeft(closed)) return closed;
    this.track(closed.right.position);
    return E.right(undefined);
  }

  private track(position: Position | undefined): void {
    if (position && (!this.lastPosition || comparePositions(position, this.lastPosition) > 0)) this.lastPosition = position;
  }
}
