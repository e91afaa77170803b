import { Logger } from '@nestjs/common';
import * as E from 'fp-ts/lib/Either.js';
import { comparePositions, type JsonValue, type Position } from '@runtree/event-store';
import { domainError, type DomainError } from '../api/errors.js';
import { runDecider, type RunCommand } from '../domain/run/run-decider.js';
import type { ChildRef, RunState } from '../domain/run/run-state.js';
import { sessionDecider } from '../domain/session/session-decider.js';
import type { CancelOrigin } from '../events/run-events.js';
import { runStream, sessionStream } from '../streams/stream-names.js';
import type { CommandContext } from '../write/event-envelope.js';
import type { StreamRepository, StreamWriter } from '../write/stream-repository.js';
import type { ReadStore } from '@runtree/read-store';
import type { ChildMaterializer } from './child-materializer.js';
import { DescendantPrefetch } from './descendant-prefetch.js';

const logger = new Logger('CancelTreeProcess');

/** Most runs one commit of a cancel writes: a wide level is cut into commits of this many runs. */
export const RUNS_PER_CANCEL_COMMIT = 256;
/** Descendants' streams read ahead with a level that must be read (see DescendantPrefetch). */
export const PREFETCHED_RUNS_PER_READ = 512;
/** Most of a tree's runs whose ids are asked of the read side, to read their streams ahead of the walk. */
const MAX_PREFETCHED_RUNS = 65_536;

/** A run the walk is to cancel, with what its RunCancelled will say. */
interface CancelTarget {
  readonly runId: string;
  readonly reason: JsonValue;
  readonly origin: CancelOrigin;
  /** The parent's link to it, for a child: a pending one is materialised before it is frozen. */
  readonly link?: { readonly parentRunId: string; readonly ref: ChildRef };
}

/** A run after the descent looked at it. */
interface Visited extends CancelTarget {
  readonly children: readonly ChildRef[];
  /** Frozen with children, still running: its RunCancelled comes on the way back up. */
  readonly toFinish: boolean;
  /** Cancelled by this command id earlier, with children: a retry reports it on the way back up. */
  readonly reportOnAscent: boolean;
}

/** The levels one `descend` wrote, and the level below them, still to be written. */
interface Descended {
  readonly levels: readonly Visited[][];
  readonly next: readonly CancelTarget[];
}

/** What one run's step wrote, returned (not recorded) so a retried commit cannot record it twice. */
interface Step {
  readonly cancelled: readonly string[];
  readonly position?: Position;
  readonly visited?: Visited;
}

/*
 * Cancel protocol, level by level from the run given:
 *  1. Descent. For each level (the run, then its children, then theirs): materialise any pending
 *     child (link written, run not yet: only left by a crash on a store without multi-stream
 *     append), read the level's streams in one read (with the next PREFETCHED_RUNS_PER_READ runs of
 *     the tree as the read side knows it: a chain's levels are then read 50 at a time),
 *     then write one commit per RUNS_PER_CANCEL_COMMIT runs (with multi-stream append, levels that
 *     fit in one together share it: each is read from the states staged above it, and the commit
 *     checks every revision read; the bench's chain of depth 1,000 with 10,000 runs takes 81
 *     commits, down and back up): a running run with children freezes
 *     (CancelRequested at the revision read: from then on it accepts no child, so a racing spawn's
 *     link append fails on the revision and its retry sees the freeze, and the children read are
 *     all it will ever have); a running run without children
 *     gets RunCancelled at once (as safe: at the revision that showed no children), with the close of
 *     a session it owns with `stopOnCancel`; a finished run is left as it is, its children still visited.
 *  2. Ascent. Deepest level first, RunCancelled (with StepCancelled for running steps) for every
 *     frozen run, with its owned session's close: every run is cancelled after all of its
 *     descendants. With multi-stream append the whole ascent goes in order into commits of
 *     RUNS_PER_CANCEL_COMMIT runs (a chain of depth 1,000: 4 commits, not 1,000); one stream at a
 *     time, a level after the other.
 * Every write is decided from the state read, so repeating the walk changes nothing already done.
 * On a store with multi-stream append each commit is atomic. Crash points (any store): a frozen
 * run still running, or (one stream at a time only) a cancelled owner whose session is open: both
 * are found by start-up recovery, which resumes with this same walk from that run (`cancel`).
 */
export class CancelTreeProcess {
  /** Runs this cancel ended, descendants before their ancestors. */
  readonly cancelled: string[] = [];
  lastPosition?: Position;
  /** The tree's runs as the read side knows them, asked for when the walk starts. */
  private prefetch = new DescendantPrefetch([], PREFETCHED_RUNS_PER_READ);

  constructor(
    private readonly streams: StreamRepository,
    private readonly materializer: ChildMaterializer,
    /** The reason given by the caller: descendants get `{ cancelledByParent, reason }` with it. */
    private readonly givenReason: JsonValue,
    private readonly context: CommandContext,
    /** Names the tree's runs ahead of the walk (only a hint: see DescendantPrefetch). */
    private readonly readSide: Pick<ReadStore, 'descendantIds'>,
  ) {}

  /** Cancels the run and every running run below it; also the resume that start-up recovery calls. */
  async cancel(runId: string, reason: JsonValue, origin: CancelOrigin): Promise<E.Either<DomainError, void>> {
    const named = await this.readSide.descendantIds(runId, MAX_PREFETCHED_RUNS).catch((error: unknown): string[] => {
      logger.warn(`Reading the runs below ${runId} ahead failed (${String(error)}): the cancel reads each level as it meets it`);
      return [];
    });
    this.prefetch = new DescendantPrefetch(named, PREFETCHED_RUNS_PER_READ);
    const levels: Visited[][] = [];
    for (let level: readonly CancelTarget[] = [{ runId, reason, origin }]; level.length > 0; ) {
      const descended = await this.descend(level);
      if (E.isLeft(descended)) return descended;
      levels.push(...descended.right.levels);
      level = descended.right.next;
    }
    // One commit orders its streams as given: the whole ascent, deepest first, in as few commits as
    // its size allows. Written one stream at a time, a level's writes must land before the next level's.
    const deepestFirst = levels.reverse();
    const ascent = this.streams.commitsAtomically ? [deepestFirst.flat()] : deepestFirst;
    for (const runs of ascent) {
      const finished = await this.inCommits(runs, (writer, run) => this.finish(writer, run), 'as_given');
      if (E.isLeft(finished)) return finished;
    }
    return E.right(undefined);
  }

  private childTarget(parentRunId: string, ref: ChildRef): CancelTarget {
    return { runId: ref.childRunId, reason: { cancelledByParent: parentRunId, reason: this.givenReason }, origin: { childOf: parentRunId }, link: { parentRunId, ref } };
  }

  /**
   * Step 1 from one level: its streams read in one read, pending children made, every run frozen (or
   * cancelled at once); the levels written and the next one. A level that fits in one commit is
   * written with the narrow levels below it (`descendNarrow`); a wider one in parallel commits.
   */
  private async descend(level: readonly CancelTarget[]): Promise<E.Either<DomainError, Descended>> {
    await this.warm(level);
    const made = await Promise.all(level.map(({ link }) => (link ? this.materializer.ensureMaterialized(link.parentRunId, link.ref, this.context) : E.right(undefined))));
    const failed = made.find(E.isLeft);
    if (failed) return failed;
    for (const position of made) if (E.isRight(position)) this.track(position.right);
    if (this.streams.commitsAtomically && level.length <= RUNS_PER_CANCEL_COMMIT) return this.descendNarrow(level);
    const steps = await this.inCommits(level, (writer, target) => this.freeze(writer, target), 'any');
    return E.map((done: readonly Step[]): Descended => {
      const visited = visitedOf(done);
      return { levels: [visited], next: this.childrenOf(visited) };
    })(steps);
  }

  /**
   * The level, then the levels below it while they fit, frozen in ONE commit (a chain of depth 1,000
   * takes a few commits, not a thousand). A child level is only read from a parent's state staged in
   * this commit: if another process wrote that parent since, the commit fails on its revision and
   * the whole of it is staged again. A level with a child still to be made ends the commit: the
   * next `descend` makes it first.
   */
  private async descendNarrow(first: readonly CancelTarget[]): Promise<E.Either<DomainError, Descended>> {
    const committed = await this.streams.atomically(
      async (writer): Promise<E.Either<DomainError, { levels: Step[][]; next: readonly CancelTarget[] }>> => {
        const levels: Step[][] = [];
        let level: readonly CancelTarget[] = first;
        for (let runs = 0; level.length > 0 && runs + level.length <= RUNS_PER_CANCEL_COMMIT; runs += level.length) {
          if (levels.length > 0) {
            await this.warm(level);
            if (!(await this.allMaterialized(level))) break;
          }
          const steps = await Promise.all(level.map((target) => this.freeze(writer, target)));
          const failed = steps.find(E.isLeft);
          if (failed) return failed;
          const done = steps.map((step) => (step as E.Right<Step>).right);
          levels.push(done);
          level = this.childrenOf(visitedOf(done));
        }
        return E.right({ levels, next: level });
      },
      first.map(({ runId }) => runStream(runId)),
    );
    if (E.isLeft(committed)) return committed;
    this.track(committed.right.position);
    const { levels, next } = committed.right.value;
    for (const steps of levels) this.record(steps);
    return E.right({ levels: levels.map(visitedOf), next });
  }

  private warm(level: readonly CancelTarget[]): Promise<void> {
    return this.streams.warm(
      level.map(({ runId }) => ({ streamName: runStream(runId), id: runId })),
      runDecider,
      this.prefetch.next,
    );
  }

  private async allMaterialized(level: readonly CancelTarget[]): Promise<boolean> {
    const made = await Promise.all(level.map(({ link }) => link === undefined || this.materializer.isMaterialized(link.ref)));
    return made.every(Boolean);
  }

  private childrenOf(visited: readonly Visited[]): CancelTarget[] {
    return visited.flatMap((run) => run.children.map((ref) => this.childTarget(run.runId, ref)));
  }

  private async freeze(writer: StreamWriter, target: CancelTarget): Promise<E.Either<DomainError, Step>> {
    const { runId, reason, origin } = target;
    const plan = (state: RunState): E.Either<DomainError, RunCommand> => {
      if (!state.exists) return E.left(domainError('not_found', `Run ${runId} not found`, { runId }));
      const cancelNow = state.status === 'running' && state.children.length === 0;
      return E.right(cancelNow ? { type: 'CancelRun', reason, origin } : { type: 'RequestCancel', reason, origin });
    };
    const frozen = await writer.execute(runStream(runId), runId, runDecider, plan, this.context);
    if (E.isLeft(frozen)) return frozen;
    const { before, appended, position } = frozen.right;
    const cancelledNow = appended.some((event) => event.type === 'RunCancelled');
    // A retried cancel reports the runs this command id cancelled the first time.
    const cancelledEarlier = before.status === 'cancelled' && before.cancelledByCommandId === this.context.commandId;
    const hasChildren = before.children.length > 0;
    const visited: Visited = { ...target, children: before.children, toFinish: !cancelledNow && before.status === 'running', reportOnAscent: cancelledEarlier && hasChildren };
    if (cancelledNow) return E.map((closed: Step): Step => ({ ...closed, visited, position: latest(position, closed.position) }))(await this.afterCancelled(writer, runId, before));
    return E.right({ cancelled: cancelledEarlier && !hasChildren ? [runId] : [], position, visited });
  }

  /** Step 2 for one run: its RunCancelled once its descendants are cancelled. */
  private async finish(writer: StreamWriter, run: Visited): Promise<E.Either<DomainError, Step>> {
    const reported = run.reportOnAscent ? [run.runId] : [];
    if (!run.toFinish) return E.right({ cancelled: reported });
    const { runId, reason, origin } = run;
    const ended = await writer.execute(runStream(runId), runId, runDecider, { type: 'CancelRun', reason, origin }, this.context);
    if (E.isLeft(ended)) return ended;
    if (ended.right.appended.length === 0) return E.right({ cancelled: reported, position: ended.right.position });
    return E.map((closed: Step): Step => ({ ...closed, position: latest(ended.right.position, closed.position) }))(await this.afterCancelled(writer, runId, ended.right.before));
  }

  /** The run is cancelled: it is reported, and a session it owns with `stopOnCancel` is closed. */
  private async afterCancelled(writer: StreamWriter, runId: string, state: RunState): Promise<E.Either<DomainError, Step>> {
    const owned = state.lineage?.ownedSession;
    if (!owned?.stopOnCancel) return E.right({ cancelled: [runId] });
    const closed = await writer.execute(sessionStream(owned.sessionId), owned.sessionId, sessionDecider, { type: 'CloseSession', byRunId: runId }, this.context);
    return E.map((executed: { readonly position?: Position }): Step => ({ cancelled: [runId], position: executed.position }))(closed);
  }

  /**
   * `step` for every run, RUNS_PER_CANCEL_COMMIT runs per `atomically`; the steps in the runs' order,
   * recorded once committed. `any`: the commits and the runs of each in parallel (written one stream
   * at a time, their writes still share group commits). `as_given`: on a store with multi-stream
   * append, the log holds the writes in the runs' order (staged in order, commits one after the other).
   */
  private async inCommits<T extends CancelTarget>(
    runs: readonly T[],
    step: (writer: StreamWriter, run: T) => Promise<E.Either<DomainError, Step>>,
    order: 'any' | 'as_given',
  ): Promise<E.Either<DomainError, Step[]>> {
    const batches: T[][] = [];
    for (let index = 0; index < runs.length; index += RUNS_PER_CANCEL_COMMIT) batches.push(runs.slice(index, index + RUNS_PER_CANCEL_COMMIT));
    const commit = (batch: readonly T[]) =>
      this.streams.atomically(
        async (writer) => {
          const steps = order === 'any' ? await Promise.all(batch.map((run) => step(writer, run))) : await inSequence(batch, (run) => step(writer, run));
          return steps.find(E.isLeft) ?? E.right(steps.map((done) => (done as E.Right<Step>).right));
        },
        // The batch's runs are known: locked before staging, a busy one costs a wait, not a second try.
        batch.map(({ runId }) => runStream(runId)),
      );
    const committed = order === 'any' ? await Promise.all(batches.map(commit)) : await inSequence(batches, commit);
    const steps: Step[] = [];
    for (const outcome of committed) {
      if (E.isLeft(outcome)) return outcome;
      this.track(outcome.right.position);
      steps.push(...outcome.right.value);
    }
    this.record(steps);
    return E.right(steps);
  }

  /** What committed steps cancelled and wrote, once their commit landed. */
  private record(steps: readonly Step[]): void {
    for (const done of steps) {
      this.cancelled.push(...done.cancelled);
      this.track(done.position);
    }
  }

  private track(position: Position | undefined): void {
    this.lastPosition = latest(this.lastPosition, position);
  }
}

function visitedOf(steps: readonly Step[]): Visited[] {
  return steps.flatMap((step) => (step.visited ? [step.visited] : []));
}

function latest(a: Position | undefined, b: Position | undefined): Position | undefined {
  if (a === undefined) return b;
  return b !== undefined && comparePositions(b, a) > 0 ? b : a;
}

/** `work` for each item, one after the other. */
async function inSequence<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await work(item));
  return results;
}
