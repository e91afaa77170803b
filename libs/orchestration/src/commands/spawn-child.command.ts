import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue, Position } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { Relation, Run } from '../api/model.js';
import type { SpawnOptions } from '../api/options.js';
import { checkAcceptsChildren, runDecider, type RunCommand } from '../domain/run/run-decider.js';
import { linkStateOf, type LinkState, type RunState } from '../domain/run/run-state.js';
import type { DomainEvent } from '../events/event-registry.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import { placementLookups, resolvePlacement } from '../domain/spawn/placement.js';
import { threadDecider } from '../domain/thread/thread-decider.js';
import { ORCHESTRATION_POLICY, type OrchestrationPolicy, type TreeShape } from '../policy/orchestration-policy.js';
import { runStream, sessionStream, threadStream } from '../streams/stream-names.js';
import { deriveEventId, type CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { ChildMaterializer } from './child-materializer.js';
import { createdId } from './command-context.js';

/** What the policy needs from the read models: the parent as a run and the tree's shape. */
export abstract class TreeReader {
  abstract runView(runId: string): Run | undefined;
  abstract treeShape(parentRunId: string): TreeShape;
}

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

/*
 * Spawn protocol (the order of writes and why):
 *  1. Link: ChildSpawned / ChildDelegated is appended to the PARENT's stream at the revision at which
 *     the parent was seen running and not being cancelled. A concurrent terminal event or
 *     CancelRequested moves that revision, so the append fails and the retry sees the parent is
 *     not running: no child is ever linked under a parent that was not running.
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
    private readonly tree: TreeReader,
    @Inject(ORCHESTRATION_POLICY) private readonly policy: OrchestrationPolicy,
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
    const newSessionId = createdId(context, 'session');
    const newThreadId = createdId(context, 'thread');
    let denial: { limit: string; reason: string } | undefined;

    const plan = (parent: RunState): E.Either<DomainError, RunCommand> => {
      const accepting = checkAcceptsChildren(parent);
      if (E.isLeft(accepting)) return accepting;
      if (childExists) return E.left(domainError('already_exists', `Run ${childRunId} already exists`, { runId: childRunId }));
      const placed = resolvePlacement({ parent, session, thread, namedSession, namedThread, inheritedSession, inheritedThread, newSessionId, newThreadId });
      if (E.isLeft(placed)) return placed;
      const { placement, substrate } = placed.right;
      const parentView = this.tree.runView(parentRunId);
      const decision = parentView
        ? this.policy.evaluate({
            parent: parentView,
            relation,
            kind,
            metadata,
            ...(command.task !== undefined ? { task: command.task } : {}),
            ...(placement.sessionId !== undefined ? { sessionId: placement.sessionId } : {}),
            ...(placement.threadId !== undefined ? { threadId: placement.threadId } : {}),
            tree: this.tree.treeShape(parentRunId),
          })
        : { allowed: true as const };
      if (!decision.allowed) {
        denial = { limit: decision.limit, reason: decision.reason };
        return E.right({ type: 'RecordSpawnDenial', relation, kind, limit: decision.limit, reason: decision.reason, childRunId });
      }
      return E.right({
        type: 'LinkChild',
        relation,
        link: {
          childRunId,
          kind,
          substrate,
          metadata,
          placement,
          ...(command.task !== undefined ? { task: command.task } : options.input !== undefined ? { input: options.input } : {}),
        },
      });
    };

    const linked = await this.streams.execute(runStream(parentRunId), parentRunId, runDecider, plan, context, {
      alreadyApplied: (parent) => parent.commandIds.has(context.commandId),
    });
    if (E.isLeft(linked)) return linked;
    if (denial) {
      return E.left(domainError('policy_denied', `Policy denied the ${relation === 'delegated' ? 'delegation' : 'spawn'}: ${denial.reason}`, { parentRunId, ...denial }));
    }
    const linkState = this.linkOf(linked.right.appended, linked.right.before, parentRunId, context);
    if (!linkState) return E.left(domainError('conflict', `Command ${context.commandId} was already used for another write on run ${parentRunId}`, { commandId: context.commandId }));
    const position = await this.materializer.materialize(parentRunId, linkState, context);
    return E.map((p: Position | undefined) => ({ childRunId: linkState.link.childRunId, position: p }))(position);
  }

  private async loadSession(sessionId: string | undefined) {
    return sessionId === undefined ? undefined : (await this.streams.load(sessionStream(sessionId), sessionId, sessionDecider)).state;
  }

  private async loadThread(threadId: string | undefined) {
    return threadId === undefined ? undefined : (await this.streams.load(threadStream(threadId), threadId, threadDecider)).state;
  }

  /** The link this command wrote just now (its id derived as the append derived it), or on an earlier try. */
  private linkOf(appended: readonly DomainEvent[], before: RunState, parentRunId: string, context: CommandContext): LinkState | undefined {
    const [event] = appended;
    if (event?.type === 'ChildSpawned' || event?.type === 'ChildDelegated') {
      return linkStateOf(event, deriveEventId(context.commandId, runStream(parentRunId), event.type, 0), context.commandId);
    }
    return before.children.find((child) => child.commandId === context.commandId);
  }
}
