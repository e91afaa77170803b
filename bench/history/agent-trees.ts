import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue } from '@runtree/event-store';
// Not part of the package's API: the ids and the child's start exactly as the spawn handler derives them.
import { childRunMetadata } from '../../libs/orchestration/src/processes/child-materializer.js';
import { createdId } from '../../libs/orchestration/src/commands/command-context.js';
import { linkedChildOf } from '../../libs/orchestration/src/domain/run/run-state.js';
import { resolvePlacement } from '../../libs/orchestration/src/domain/spawn/placement.js';
import type { CommandContext } from '../../libs/orchestration/src/write/event-envelope.js';
import { RunStream, type JournalAppend } from './run-stream.js';

/** What each tree of agent work holds. */
export interface TreeShape {
  /** Children spawned under each root (kinds taken in turn from `CHILD_KINDS`). */
  readonly childrenPerRoot: number;
  /** Steps started and completed in the root (the agent) and in each child (a tool call). */
  readonly stepsPerRoot: number;
  readonly stepsPerChild: number;
  /** Every this-many-th tree is left running: its runs started (and their steps done), none finished. */
  readonly runningEvery: number;
  /** Every this-many-th child fails instead of completing. */
  readonly failedEvery: number;
}

export const ROOT_KIND = 'bench_agent';
export const CHILD_KINDS = ['bench_search', 'bench_fetch', 'bench_code', 'bench_review'] as const;

/** Where ids and time come from: random ids and a clock by default, fixed ones in the spec. */
export interface CommandSource {
  readonly newId: () => string;
  readonly clock: () => Date;
}

/** One tree's writes, in the order the service would make them. */
export interface TreeAppends {
  readonly appends: readonly JournalAppend[];
  readonly runs: number;
  readonly events: number;
}

/** A clock that moves `stepMs` per reading from `start`: a history spread over hours, not the seconds it took to write. */
export function steppingClock(start: Date, stepMs: number): () => Date {
  let at = start.getTime();
  return () => new Date((at += stepMs));
}

/**
 * Agent-like trees, written as the facade's commands would write them (startRun, spawn with the
 * session and thread inherited, startStep, completeStep, completeRun / failRun): the same deciders,
 * ids derived the same way, the same envelope and hash chain. `bench/history/agent-trees.spec.ts`
 * checks a tree against the one the facade writes for the same commands.
 */
export class AgentTrees {
  private trees = 0;
  private children = 0;

  constructor(
    private readonly shape: TreeShape,
    private readonly source: CommandSource = { newId: randomUUID, clock: () => new Date() },
  ) {}

  next(): TreeAppends {
    this.trees += 1;
    const tree = this.trees;
    const running = tree % this.shape.runningEvery === 0;
    const appends: JournalAppend[] = [];
    const root = this.startRun(appends, ROOT_KIND, { question: `why is the sky blue (${tree})` });
    const children: RunStream[] = [];
    for (let index = 0; index < this.shape.childrenPerRoot; index += 1) {
      children.push(this.spawn(appends, root, CHILD_KINDS[index % CHILD_KINDS.length], { query: `source ${index} of ${tree}` }));
    }
    for (const run of [...children, root]) {
      const steps = run === root ? this.shape.stepsPerRoot : this.shape.stepsPerChild;
      for (let index = 0; index < steps; index += 1) {
        const context = this.context();
        const stepId = createdId(context, 'step');
        appends.push(run.decide({ type: 'StartStep', stepId, name: 'think', kind: 'think', input: { index } }, context).append);
        appends.push(run.decide({ type: 'CompleteStep', stepId, output: { tokens: 42 } }, this.context()).append);
      }
      if (running) continue;
      const fails = run !== root && (this.children += 1) % this.shape.failedEvery === 0;
      const end = fails ? ({ type: 'FailRun', error: { message: 'tool timed out' } } as const) : ({ type: 'CompleteRun', output: { answer: 'Rayleigh scattering' } } as const);
      appends.push(run.decide(end, this.context()).append);
    }
    return { appends, runs: 1 + children.length, events: appends.reduce((total, append) => total + append.events.length, 0) };
  }

  private context(): CommandContext {
    const commandId = this.source.newId();
    return { commandId, correlationId: commandId, causationId: commandId, occurredAt: this.source.clock().toISOString() };
  }

  private startRun(appends: JournalAppend[], kind: string, input: JsonValue): RunStream {
    const context = this.context();
    const run = new RunStream(createdId(context, 'run'));
    appends.push(run.decide({ type: 'StartRun', runId: run.runId, kind, metadata: {}, input }, context).append);
    return run;
  }

  /** The spawn protocol's two writes: the link on the parent's stream, then the child's RunStarted, its ids seeded by the link. */
  private spawn(appends: JournalAppend[], parent: RunStream, kind: string, input: JsonValue): RunStream {
    const context = this.context();
    const child = new RunStream(createdId(context, 'child'));
    const placed = resolvePlacement({
      parent: parent.state,
      session: 'inherit',
      thread: 'inherit',
      newSessionId: createdId(context, 'session'),
      newThreadId: createdId(context, 'thread'),
    });
    if (E.isLeft(placed)) throw new Error(`placing a child of ${parent.runId}: ${placed.left.message}`);
    const { placement, substrate } = placed.right;
    const { append, decided } = parent.decide({ type: 'LinkChild', relation: 'spawned', link: { childRunId: child.runId, kind, substrate, metadata: {}, placement, input } }, context);
    appends.push(append);
    const [written] = decided;
    if (written?.type !== 'ChildSpawned') throw new Error(`the link of ${child.runId} was ${written?.type}`);
    const linked = linkedChildOf(written, append.events[0].id, context.commandId);
    const start = {
      type: 'StartRun',
      runId: child.runId,
      kind,
      metadata: childRunMetadata(parent.runId, linked),
      input,
      lineage: { parentRunId: parent.runId, relation: 'spawned', substrate, sequence: written.data.sequence },
    } as const;
    appends.push(child.decide(start, context, linked.eventId).append);
    return child;
  }
}
