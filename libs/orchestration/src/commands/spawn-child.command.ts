import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue, Position } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { JsonObject, Relation } from '../api/model.js';
import type { SpawnOptions } from '../api/options.js';
import { checkAcceptsChildren, runDecider, type RunCommand } from '../domain/run/run-decider.js';
import { linkedChildOf, type RunState } from '../domain/run/run-state.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import { placementLookups, resolvePlacement, type Placement } from '../domain/spawn/placement.js';
import { threadDecider } from '../domain/thread/thread-decider.js';
import type { DomainEvent } from '../events/event-registry.js';
import { READ_STORE } from '../module/tokens.js';
import { ORCHESTRATION_POLICY, type OrchestrationPolicy, type PolicyDecision } from '../policy/orchestration-policy.js';
import { withMetadata } from '../projections/views.js';
import { runStream, sessionStream, threadStream } from '../streams/stream-names.js';
import { deriveEventId, type CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { ChildMaterializer } from './child-materializer.js';
import { createdId } from './command-context.js';

export interface SpawnOutcome {
  readonly childRunId: string;
  readonly position?: Position;
}

export class SpawnChildCommand extends Command<E.Either<DomainError, SpawnOutcome>> {
  constructor(
    readonly parentRunId: string,
    readonly relation: Relation,
    readonly options: SpawnOptions,
    readonly context: CommandContext,
    /** Delegation only: the task, recorded as the child's input and the link's task. */
    readonly task?: JsonValue,
  ) {
    super();
  }
}

/** Delegation is a spawn with relation `delegated`; one handler serves both. */
export class DelegateCommand extends SpawnChildCommand {
  constructor(parentRunId: string, task: JsonValue, options: SpawnOptions, context: CommandContext) {
    super(parentRunId, 'delegated', options, context, task);
  }
}

const allowed: PolicyDecision = { allowed: true };

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
 * Crash points: before 1 nothing was written; between 1 and the end of 2 the link is "pending":
 * readers do not see it (the projection shows a link once its RunStarted is there), cancel
 * materialises pending children before cancelling them, and start-up recovery materialises every
 * pending link. A session is only opened after its owner's link exists, so none is left ownerless.
 */
@CommandHandler(SpawnChildCommand)
export class SpawnChildHandler implements ICommandHandler<SpawnChildCommand> {
  constructor(
    private readonly streams: StreamRepository,
    private readonly materializer: ChildMaterializer,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    /** Null when none is configured: then every spawn is allowed, and nothing is read to decide it. */
    @Inject(ORCHESTRATION_POLICY) private readonly policy: OrchestrationPolicy | null,
  ) {}

  async execute(command: SpawnChildCommand): Promise<E.Either<DomainError, SpawnOutcome>> {
    const { parentRunId, relation, options, context } = command;
    const session = options.session ?? 'inherit';
    const thread = options.thread ?? 'inherit';
    // Only the parent's session and thread are read here (fixed when it started); `execute` decides on its current state.
    const parentAtStart = await this.streams.peek(runStream(parentRunId), parentRunId, runDecider);
    const lookups = placementLookups(session, thread, parentAtStart.state);
    const [namedSession, namedThread, inheritedSession, inheritedThread] = await Promise.all([
      this.loadSession(lookups.sessionId),
      this.loadThread(lookups.threadId),
      this.loadSession(lookups.inheritedSessionId),
      this.loadThread(lookups.inheritedThreadId),
    ]);
    const childRunId = options.runId ?? createdId(context, 'child');
    const childExists = options.runId !== undefined && (await this.streams.load(runStream(childRunId), childRunId, runDecider)).state.exists;
    const kind = options.kind ?? (relation === 'delegated' ? 'delegated_task' : 'orchestrator_child');
    const metadata = options.metadata ?? {};
    const placed = resolvePlacement({
      parent: parentAtStart.state,
      session,
      thread,
      namedSession,
      namedThread,
      inheritedSession,
      inheritedThread,
      newSessionId: createdId(context, 'session'),
      newThreadId: createdId(context, 'thread'),
    });
    const decision = E.isRight(placed) && parentAtStart.state.exists ? await this.decide(command, kind, metadata, placed.right) : allowed;

    const plan = (parent: RunState): E.Either<DomainError, RunCommand> => {
      const accepting = checkAcceptsChildren(parent);
      if (E.isLeft(accepting)) return accepting;
      if (childExists) return E.left(domainError('already_exists', `Run ${childRunId} already exists`, { runId: childRunId }));
      if (E.isLeft(placed)) return placed;
      if (!decision.allowed) return E.right({ type: 'RecordSpawnDenial', relation, kind, limit: decision.limit, reason: decision.reason, childRunId });
      const { placement, substrate } = placed.right;
      const payload = command.task !== undefined ? { task: command.task } : options.input !== undefined ? { input: options.input } : {};
      return E.right({ type: 'LinkChild', relation, link: { childRunId, kind, substrate, metadata, placement, ...payload } });
    };

    const linked = await this.streams.execute(runStream(parentRunId), parentRunId, runDecider, plan, context, {
      alreadyApplied: (parent) => parent.commandIds.has(context.commandId),
    });
    if (E.isLeft(linked)) return linked;
    const [written] = linked.right.appended;
    if (written?.type === 'SpawnDenied') {
      const { limit, reason } = written.data;
      return E.left(domainError('policy_denied', `Policy denied the ${relation === 'delegated' ? 'delegation' : 'spawn'}: ${reason}`, { parentRunId, limit, reason }));
    }
    const materialized = await this.materialize(parentRunId, written, linked.right.before, context);
    if (materialized === undefined) {
      return E.left(domainError('conflict', `Command ${context.commandId} was already used for another write on run ${parentRunId}`, { commandId: context.commandId }));
    }
    return E.map((position: Position | undefined) => ({ childRunId: materialized.childRunId, position }))(materialized.result);
  }

  /** The policy's decision, from the parent and the tree's shape as the read models show them. */
  private async decide(command: SpawnChildCommand, kind: string, metadata: JsonObject, { placement }: Placement): Promise<PolicyDecision> {
    if (this.policy === null) return allowed;
    const [parent, tree] = await Promise.all([this.readStore.runWithMetadata(command.parentRunId), this.readStore.treeShape(command.parentRunId)]);
    if (parent === undefined) return allowed;
    return this.policy.evaluate({
      parent: withMetadata(parent),
      relation: command.relation,
      kind,
      metadata,
      ...(command.task !== undefined ? { task: command.task } : {}),
      ...(placement.sessionId !== undefined ? { sessionId: placement.sessionId } : {}),
      ...(placement.threadId !== undefined ? { threadId: placement.threadId } : {}),
      tree: tree ?? { rootRunId: command.parentRunId, parentDepth: 0, parentChildCount: 0, runningDescendantsOfRoot: 0 },
    });
  }

  /** Materialises the link this command wrote just now (its id derived as the append derived it), or on an earlier try. */
  private async materialize(parentRunId: string, written: DomainEvent | undefined, before: RunState, context: CommandContext) {
    if (written?.type === 'ChildSpawned' || written?.type === 'ChildDelegated') {
      const linked = linkedChildOf(written, deriveEventId(context.commandId, runStream(parentRunId), written.type, 0), context.commandId);
      return { childRunId: linked.link.childRunId, result: await this.materializer.materialize(parentRunId, linked, context) };
    }
    const earlier = before.children.find((child) => child.commandId === context.commandId);
    if (earlier === undefined) return undefined;
    return { childRunId: earlier.childRunId, result: await this.materializer.ensureMaterialized(parentRunId, earlier, context) };
  }

  private async loadSession(sessionId: string | undefined) {
    return sessionId === undefined ? undefined : (await this.streams.load(sessionStream(sessionId), sessionId, sessionDecider)).state;
  }

  private async loadThread(threadId: string | undefined) {
    return threadId === undefined ? undefined : (await this.streams.load(threadStream(threadId), threadId, threadDecider)).state;
  }
}
