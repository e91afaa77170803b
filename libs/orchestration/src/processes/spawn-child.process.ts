import { Injectable } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import type { Position } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { EventsOf } from '../domain/decider.js';
import { runDecider, type RunCommand } from '../domain/run/run-decider.js';
import { linkedChildOf, type RunState } from '../domain/run/run-state.js';
import type { DomainEvent } from '../events/event-registry.js';
import { runStream } from '../streams/stream-names.js';
import { deriveEventId, type CommandContext } from '../write/event-envelope.js';
import { StreamRepository, type Committed, type Plan, type StreamWriter } from '../write/stream-repository.js';
import { ChildMaterializer } from './child-materializer.js';

/** What the writes made: the child (and the position its RunStarted reached, when written at once), or a denial. */
export type Spawned =
  | { readonly kind: 'linked'; readonly childRunId: string; readonly position?: Position }
  | { readonly kind: 'denied'; readonly denial: EventsOf<'SpawnDenied'>['data'] };

/*
 * Spawn protocol (the order of writes and why):
 *  0. Decide, before writing anything: where the child runs (from the parent's session and thread,
 *     fixed when it started) and what the policy says (from the read models). Both are inputs of
 *     the write below: a write retried after a lost race never decides them again, so what is
 *     answered is what was written.
 *  1. Link: ChildSpawned / ChildDelegated (or SpawnDenied) is appended to the PARENT's stream at
 *     the revision at which the parent was seen running and not being cancelled. A concurrent
 *     terminal event or CancelRequested moves that revision, so the append fails and the retry sees
 *     the parent is not running: no child is ever linked under a parent that was not running.
 *  2. Materialise (ChildMaterializer): SessionOpened (owned session), ThreadStarted / ThreadResumed,
 *     then the child's RunStarted. Ids derive from the link event, so every write is idempotent.
 * On a store with multi-stream append, 1 and 2 are ONE commit (`StreamRepository.atomically`): a
 * crash leaves all of it or nothing, and a lost race on any stream decides again from step 1.
 * Crash points, one stream at a time (EventStoreDB): before 1 nothing was written; between 1 and the
 * end of 2 the link is "pending": readers do not see it (the projection shows a link once its
 * RunStarted is there), cancel materialises pending children before cancelling them, and start-up
 * recovery materialises every pending link (the resume: `ChildMaterializer.ensureMaterialized`).
 * A session is only opened after its owner's link exists, so none is left ownerless.
 */
@Injectable()
export class SpawnChildProcess {
  constructor(
    private readonly streams: StreamRepository,
    private readonly materializer: ChildMaterializer,
  ) {}

  /** Steps 1 and 2, with `plan` (the link, a denial or a refusal) built from what step 0 decided. */
  run(parentRunId: string, plan: Plan<RunState, RunCommand>, context: CommandContext): Promise<E.Either<DomainError, Committed<Spawned>>> {
    return this.streams.atomically((writer) => this.linkAndMaterialize(writer, parentRunId, plan, context));
  }

  private async linkAndMaterialize(writer: StreamWriter, parentRunId: string, plan: Plan<RunState, RunCommand>, context: CommandContext): Promise<E.Either<DomainError, Spawned>> {
    const linked = await writer.execute(runStream(parentRunId), parentRunId, runDecider, plan, context, {
      alreadyApplied: (parent) => parent.commandIds.has(context.commandId),
    });
    if (E.isLeft(linked)) return linked;
    const [written] = linked.right.appended;
    if (written?.type === 'SpawnDenied') return E.right({ kind: 'denied', denial: written.data });
    const materialized = await this.materialize(writer, parentRunId, written, linked.right.before, context);
    if (materialized === undefined) {
      return E.left(domainError('conflict', `Command ${context.commandId} was already used for another write on run ${parentRunId}`, { commandId: context.commandId }));
    }
    return E.map((position: Position | undefined): Spawned => ({ kind: 'linked', childRunId: materialized.childRunId, position }))(materialized.result);
  }

  /** Materialises the link this command wrote just now (its id derived as the append derived it), or on an earlier try. */
  private async materialize(writer: StreamWriter, parentRunId: string, written: DomainEvent | undefined, before: RunState, context: CommandContext) {
    if (written?.type === 'ChildSpawned' || written?.type === 'ChildDelegated') {
      const linked = linkedChildOf(written, deriveEventId(context.commandId, runStream(parentRunId), written.type, 0), context.commandId);
      return { childRunId: linked.link.childRunId, result: await this.materializer.materialize(parentRunId, linked, context, writer) };
    }
    const earlier = before.children.find((child) => child.commandId === context.commandId);
    if (earlier === undefined) return undefined;
    return { childRunId: earlier.childRunId, result: await this.materializer.ensureMaterialized(parentRunId, earlier, context, writer) };
  }
}
