import { Inject, Injectable, Logger } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import { comparePositions, type JsonValue, type Position } from '@runtree/event-store';
import { ChildMaterializer } from './child-materializer.js';
import { commandContext, recordedCommandContext } from '../commands/command-context.js';
import { CancelTreeProcess } from './cancel-tree.process.js';
import { runDecider } from '../domain/run/run-decider.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import type { ReadStore } from '@runtree/read-store';
import { CLOCK, ID_GENERATOR, READ_STORE, type Clock, type IdGenerator } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { runStream, sessionStream } from '../streams/stream-names.js';
import { StreamRepository } from '../write/stream-repository.js';
import type { CommandContext } from '../write/event-envelope.js';
import type { EventMetadata } from '../events/event-metadata.js';

export interface RecoveryReport {
  readonly childrenMaterialized: number;
  readonly cancellationsFinished: number;
  readonly sessionsClosed: number;
}

/**
 * Finishes what a crash interrupted, from the read models once they have caught up with the log,
 * each with the resume of the process it interrupted: pending links get their child
 * (spawn-child.process.ts, `ChildMaterializer.ensureMaterialized`), frozen runs finish their
 * cancellation (cancel-tree.process.ts, `CancelTreeProcess.cancel` from the frozen run), cancelled
 * owners close their session. Each repair is the same idempotent write the interrupted command would
 * have made. On a store with multi-stream append only frozen runs can be left behind. A finished
 * child is written with its link's context (command, correlation, causation, trace), as the spawn
 * would have written it; a finished cancel or session close by a recovery command caused by the
 * cancel, in its correlation and trace, so the journal and the traces show what was finished.
 */
@Injectable()
export class StartupRecovery {
  private readonly logger = new Logger(StartupRecovery.name);

  constructor(
    private readonly projection: ProjectionRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly streams: StreamRepository,
    private readonly materializer: ChildMaterializer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly generateId: IdGenerator,
  ) {}

  async recover(): Promise<RecoveryReport> {
    await this.projection.whenCaughtUp();
    const [pendingLinks, cancellingRuns, ownersWithOpenSession] = await Promise.all([
      this.readStore.pendingLinks(),
      this.readStore.cancellingRuns(),
      this.readStore.cancelledOwnersWithOpenSession(),
    ]);
    const context = commandContext({ commandId: `recovery-${this.generateId()}` }, this.clock, this.generateId);
    let lastWritten: Position | undefined;
    const wrote = (position: Position | undefined) => {
      if (position && (!lastWritten || comparePositions(position, lastWritten) > 0)) lastWritten = position;
    };
    let childrenMaterialized = 0;
    for (const pending of pendingLinks) {
      const parent = await this.streams.load(runStream(pending.parentRunId), pending.parentRunId, runDecider);
      const link = parent.state.children.find((child) => child.childRunId === pending.childRunId);
      const materialized = link ? await this.materializer.ensureMaterialized(pending.parentRunId, link, context) : undefined;
      if (materialized && E.isRight(materialized)) {
        childrenMaterialized++;
        wrote(materialized.right);
      }
    }
    let cancellationsFinished = 0;
    for (const runId of cancellingRuns) {
      const { state } = await this.streams.load(runStream(runId), runId, runDecider);
      if (!state.cancelRequested || state.status !== 'running') continue;
      const { reason, origin, revision } = state.cancelRequested;
      const requested = await this.streams.readAt(runStream(runId), revision);
      const walk = new CancelTreeProcess(this.streams, this.materializer, givenReason(reason, origin), requested ? causedBy(context, requested.metadata) : context, this.readStore);
      if (E.isRight(await walk.cancel(runId, reason, origin))) cancellationsFinished++;
      wrote(walk.lastPosition);
    }
    let sessionsClosed = 0;
    for (const owner of ownersWithOpenSession) {
      // A cancelled run's last event is its RunCancelled: the close continues that cancel.
      const cancelled = await this.streams.readAt(runStream(owner.runId), 'last');
      const closeContext = cancelled?.event.type === 'RunCancelled' ? causedBy(context, cancelled.metadata) : context;
      const closed = await this.streams.execute(sessionStream(owner.sessionId), owner.sessionId, sessionDecider, { type: 'CloseSession', byRunId: owner.runId }, closeContext);
      if (E.isRight(closed) && closed.right.appended.length > 0) {
        sessionsClosed++;
        wrote(closed.right.position);
      }
    }
    // Ready means readers see the repairs too.
    if (lastWritten) await this.projection.waitFor(lastWritten);
    const report = { childrenMaterialized, cancellationsFinished, sessionsClosed };
    if (childrenMaterialized + cancellationsFinished + sessionsClosed > 0) this.logger.log(`Recovered after restart: ${JSON.stringify(report)}`);
    return report;
  }
}

/** Recovery's own command finishing an interrupted one: caused by it, in its correlation and trace. */
function causedBy(context: CommandContext, interrupted: EventMetadata): CommandContext {
  return { ...recordedCommandContext(interrupted, context.occurredAt), commandId: context.commandId, causationId: interrupted.commandId };
}

/** The reason the caller gave: a descendant's reason wraps it as `{ cancelledByParent, reason }`. */
function givenReason(reason: JsonValue, origin: 'root' | { childOf: string }): JsonValue {
  if (origin === 'root') return reason;
  return typeof reason === 'object' && reason !== null && !Array.isArray(reason) && 'reason' in reason ? (reason.reason ?? null) : reason;
}
