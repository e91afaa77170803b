import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue, Position } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { domainError, type DomainError } from '../api/errors.js';
import type { JsonObject, Relation } from '../api/model.js';
import type { SpawnOptions } from '../api/options.js';
import { checkAcceptsChildren, runDecider, type RunCommand } from '../domain/run/run-decider.js';
import type { RunState } from '../domain/run/run-state.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import { placementLookups, resolvePlacement, type Placement } from '../domain/spawn/placement.js';
import { threadDecider } from '../domain/thread/thread-decider.js';
import { READ_STORE } from '../module/tokens.js';
import { ORCHESTRATION_POLICY, type OrchestrationPolicy, type PolicyDecision } from '../policy/orchestration-policy.js';
import { withMetadata } from '../projections/views.js';
import { runStream, sessionStream, threadStream } from '../streams/stream-names.js';
import type { CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { SpawnChildProcess } from '../processes/spawn-child.process.js';
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

/** Spawn and delegation: step 0 of the protocol (processes/spawn-child.process.ts) here, the writes there. */
@CommandHandler(SpawnChildCommand)
export class SpawnChildHandler implements ICommandHandler<SpawnChildCommand> {
  constructor(
    private readonly streams: StreamRepository,
    private readonly spawnChild: SpawnChildProcess,
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

    const written = await this.spawnChild.run(parentRunId, plan, context);
    if (E.isLeft(written)) return written;
    const { value, position } = written.right;
    if (value.kind === 'denied') {
      const { limit, reason } = value.denial;
      return E.left(domainError('policy_denied', `Policy denied the ${relation === 'delegated' ? 'delegation' : 'spawn'}: ${reason}`, { parentRunId, limit, reason }));
    }
    return E.right({ childRunId: value.childRunId, position: position ?? value.position });
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

  private async loadSession(sessionId: string | undefined) {
    return sessionId === undefined ? undefined : (await this.streams.load(sessionStream(sessionId), sessionId, sessionDecider)).state;
  }

  private async loadThread(threadId: string | undefined) {
    return threadId === undefined ? undefined : (await this.streams.load(threadStream(threadId), threadId, threadDecider)).state;
  }
}
