import { Injectable } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import type { Position } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { JsonObject } from '../api/model.js';
import { linkedChildOf, type ChildRef, type LinkedChild } from '../domain/run/run-state.js';
import { runDecider } from '../domain/run/run-decider.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import { threadDecider } from '../domain/thread/thread-decider.js';
import { runStream, sessionStream, threadStream } from '../streams/stream-names.js';
import { recordedCommandContext } from '../commands/command-context.js';
import type { CommandContext } from '../write/event-envelope.js';
import { StreamRepository, type StreamWriter } from '../write/stream-repository.js';

/** The lineage a child run carries in `metadata.orchestrator`, beside the caller's metadata. */
export function childRunMetadata(parentRunId: string, linked: LinkedChild): JsonObject {
  const { link, relation } = linked;
  const { placement } = link;
  return {
    ...link.metadata,
    orchestrator: {
      parentRunId,
      relation,
      substrate: link.substrate,
      ownsSession: placement.ownsSession,
      stopSessionOnCancel: placement.stopSessionOnCancel,
      ...(placement.sessionId !== undefined ? { sessionId: placement.sessionId } : {}),
      ...(placement.threadId !== undefined ? { threadId: placement.threadId } : {}),
    },
  };
}

/**
 * Finishes creating a linked child from its link alone: opens its session, starts or resumes its
 * thread, starts its run. Every write derives its event ids from the link event's id and is
 * skipped when already done, so spawn, cancel and start-up recovery can all call it, any number of
 * times, after a crash at any point. Given the writer of an `atomically`, its writes join that commit
 * (spawn: the link and the child in one commit).
 */
@Injectable()
export class ChildMaterializer {
  constructor(private readonly streams: StreamRepository) {}

  async materialize(
    parentRunId: string,
    linked: LinkedChild,
    context: CommandContext,
    writer: StreamWriter = this.streams,
  ): Promise<E.Either<DomainError, Position | undefined>> {
    const { link } = linked;
    const { placement } = link;
    const childRunId = link.childRunId;
    const childContext: CommandContext = { ...context, commandId: linked.commandId };
    const byThisLink = (state: CreatedState) => createdByLink(state, linked);
    // The child's run, an owned session and a started thread get ids derived from the link: new streams.
    const options = { idSeed: linked.eventId, alreadyApplied: byThisLink, presumedNew: true };

    if (placement.openSession && placement.sessionId !== undefined) {
      const opened = await writer.execute(
        sessionStream(placement.sessionId),
        placement.sessionId,
        sessionDecider,
        { type: 'OpenSession', metadata: placement.openSession.metadata, ownerRunId: childRunId },
        childContext,
        options,
      );
      if (E.isLeft(opened)) return opened;
    }
    if (placement.threadId !== undefined && placement.sessionId !== undefined && (placement.startThread || placement.resumeThread)) {
      const threadCommand = placement.startThread
        ? { type: 'StartThread' as const, sessionId: placement.sessionId, metadata: placement.startThread.metadata, startedByRunId: childRunId, ...(placement.startThread.name !== undefined ? { name: placement.startThread.name } : {}) }
        : { type: 'ResumeThread' as const, runId: childRunId };
      const threaded = await writer.execute(threadStream(placement.threadId), placement.threadId, threadDecider, threadCommand, childContext, {
        idSeed: linked.eventId,
        alreadyApplied: placement.startThread ? byThisLink : undefined,
        presumedNew: placement.startThread !== undefined,
      });
      // A resumed thread closed since the link was written does not stop the child: the link is the commitment.
      if (E.isLeft(threaded) && placement.startThread) return threaded;
    }
    const started = await writer.execute(
      runStream(childRunId),
      childRunId,
      runDecider,
      {
        type: 'StartRun',
        runId: childRunId,
        kind: link.kind,
        metadata: childRunMetadata(parentRunId, linked),
        ...(link.task !== undefined ? { input: link.task } : link.input !== undefined ? { input: link.input } : {}),
        ...(placement.sessionId !== undefined ? { sessionId: placement.sessionId } : {}),
        ...(placement.threadId !== undefined ? { threadId: placement.threadId } : {}),
        lineage: {
          parentRunId,
          relation: linked.relation,
          substrate: link.substrate,
          sequence: link.sequence,
          ...(placement.ownsSession && placement.sessionId !== undefined
            ? { ownedSession: { sessionId: placement.sessionId, stopOnCancel: placement.stopSessionOnCancel } }
            : {}),
        },
      },
      childContext,
      options,
    );
    return E.map((executed: { position?: Position }) => executed.position)(started);
  }

  /** True when the child's run is started by this link (what `ensureMaterialized` skips). */
  async isMaterialized(ref: ChildRef): Promise<boolean> {
    return (await this.startedChild(ref)) !== undefined;
  }

  /**
   * `materialize`, skipped when the child's run is already started by this link: it is written
   * last, so everything before it is done. For links that are mostly materialised already (cancel,
   * recovery): a read of the child's stream when it is not cached, none when it is; the link
   * event's data is read from the parent's stream only for a child still to be made.
   */
  async ensureMaterialized(
    parentRunId: string,
    ref: ChildRef,
    context: CommandContext,
    writer: StreamWriter = this.streams,
  ): Promise<E.Either<DomainError, Position | undefined>> {
    const child = await this.startedChild(ref);
    if (child !== undefined) return E.right(child.lastPosition);
    const recorded = await this.streams.readAt(runStream(parentRunId), ref.revision);
    const event = recorded?.event;
    if (event === undefined || (event.type !== 'ChildSpawned' && event.type !== 'ChildDelegated') || recorded!.id !== ref.eventId) {
      return E.left(domainError('conflict', `The link of child ${ref.childRunId} is not at revision ${ref.revision} of run ${parentRunId}`, { parentRunId, childRunId: ref.childRunId }));
    }
    // Its writes are the spawn's, finished late: they carry the link's command, causation, correlation and trace.
    return this.materialize(parentRunId, linkedChildOf(event, ref.eventId, ref.commandId), recordedCommandContext(recorded!.metadata, context.occurredAt), writer);
  }

  /** The child's run as this process knows it (read when not cached), when this link started it. */
  private async startedChild(ref: ChildRef) {
    const child = await this.streams.peek(runStream(ref.childRunId), ref.childRunId, runDecider);
    return createdByLink(child.state, ref) ? child : undefined;
  }
}

interface CreatedState {
  readonly exists: boolean;
  readonly commandIds: ReadonlySet<string>;
}

/** A session, thread or run this link's materialisation created (its events carry the link's command id). */
function createdByLink(state: CreatedState, link: { readonly commandId: string }): boolean {
  return state.exists && state.commandIds.has(link.commandId);
}
