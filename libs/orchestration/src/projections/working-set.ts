import type { JsonValue } from '@runtree/event-store';
import type {
  LinkCore,
  LinkRow,
  LoadedRows,
  ReadModelChanges,
  RunOutcomeRow,
  RunPayloadRow,
  RunRow,
  SessionRow,
  StepCore,
  StepFinish,
  StepRow,
  ThreadRow,
} from '@runtree/read-store';

/** What the read store's indexes hold of a run besides what never changes. */
const indexedFields = (run: RunRow): string => `${run.status}\u0000${run.rootRunId}\u0000${run.cancelRequested}`;

const linkKey = (parentRunId: string, childRunId: string): string => `${parentRunId}\u0000${childRunId}`;
const stepKey = (runId: string, stepId: string): string => `${runId}\u0000${stepId}`;

/**
 * The rows one batch of events touches, loaded before the batch and changed in memory by the fold;
 * `changes()` is what the batch writes. What happens to one row within the batch is merged: a step
 * started and finished in the same batch is one insert, a link made and attached is one visible link.
 */
export class WorkingSet {
  private readonly runs = new Map<string, RunRow>();
  private readonly links = new Map<string, LinkCore>();
  private readonly steps = new Map<string, StepCore>();
  private readonly touchedRuns = new Set<RunRow>();
  /** The indexed fields of each run as loaded: a run whose indexed fields stay the same skips the indexes. */
  private readonly loadedIndexed = new Map<RunRow, string>();
  private readonly runPayloads: RunPayloadRow[] = [];
  private readonly runOutcomes: RunOutcomeRow[] = [];
  private readonly newLinks = new Map<string, LinkRow>();
  private readonly attachedLinks = new Map<string, LinkCore>();
  private readonly newSteps = new Map<string, StepRow>();
  private readonly finishedSteps = new Map<string, StepFinish>();
  private readonly sessions = new Map<string, SessionRow>();
  private readonly closedSessions = new Set<string>();
  private readonly threads = new Map<string, ThreadRow>();
  private readonly closedThreads = new Set<string>();

  constructor(loaded: LoadedRows) {
    for (const loadedRun of loaded.runs) {
      const run = { ...loadedRun };
      this.runs.set(run.runId, run);
      this.loadedIndexed.set(run, indexedFields(run));
    }
    for (const link of loaded.links) this.links.set(linkKey(link.parentRunId, link.childRunId), { ...link });
    for (const step of loaded.steps) this.steps.set(stepKey(step.runId, step.stepId), { ...step });
  }

  run(runId: string): RunRow | undefined {
    return this.runs.get(runId);
  }

  /** A run the batch starts, with the payloads it starts with. */
  addRun(run: RunRow, payload: RunPayloadRow): void {
    this.runs.set(run.runId, run);
    this.touchedRuns.add(run);
    this.runPayloads.push(payload);
  }

  /** The run's row changed: it is written with the batch. */
  touch(run: RunRow): void {
    this.touchedRuns.add(run);
  }

  setOutcome(runId: string, outcome: JsonValue): void {
    this.runOutcomes.push({ runId, outcome });
  }

  link(parentRunId: string, childRunId: string): LinkCore | undefined {
    return this.links.get(linkKey(parentRunId, childRunId));
  }

  putLink(link: LinkRow): void {
    const key = linkKey(link.parentRunId, link.childRunId);
    this.links.set(key, link);
    this.newLinks.set(key, link);
    this.attachedLinks.delete(key);
  }

  /** Makes the link visible, with the session and thread its child ended up in. */
  attach(link: LinkCore, childSessionId: string | undefined, childThreadId: string | undefined): void {
    link.visible = true;
    link.childSessionId = childSessionId;
    link.childThreadId = childThreadId;
    const key = linkKey(link.parentRunId, link.childRunId);
    if (!this.newLinks.has(key)) this.attachedLinks.set(key, link);
  }

  step(runId: string, stepId: string): StepCore | undefined {
    return this.steps.get(stepKey(runId, stepId));
  }

  addStep(step: StepRow): void {
    const key = stepKey(step.runId, step.stepId);
    this.steps.set(key, step);
    this.newSteps.set(key, step);
  }

  finishStep(step: StepCore, finish: StepFinish): void {
    step.status = finish.status;
    const key = stepKey(step.runId, step.stepId);
    const started = this.newSteps.get(key);
    if (started === undefined) {
      this.finishedSteps.set(key, finish);
      return;
    }
    started.updatedAt = finish.updatedAt;
    if (finish.output !== undefined) started.output = finish.output;
    if (finish.error !== undefined) started.error = finish.error;
  }

  putSession(session: SessionRow): void {
    this.sessions.set(session.sessionId, session);
    this.closedSessions.delete(session.sessionId);
  }

  /** Closes the session if it is open (a session the store does not know stays unknown). */
  closeSession(sessionId: string): void {
    const opened = this.sessions.get(sessionId);
    if (opened !== undefined) opened.status = 'closed';
    else this.closedSessions.add(sessionId);
  }

  putThread(thread: ThreadRow): void {
    this.threads.set(thread.threadId, thread);
    this.closedThreads.delete(thread.threadId);
  }

  closeThread(threadId: string): void {
    const started = this.threads.get(threadId);
    if (started !== undefined) started.status = 'closed';
    else this.closedThreads.add(threadId);
  }

  changes(): ReadModelChanges {
    const runs: RunRow[] = [];
    const runCounters: RunRow[] = [];
    for (const run of this.touchedRuns) {
      const loaded = this.loadedIndexed.get(run);
      if (loaded !== undefined && loaded === indexedFields(run)) runCounters.push(run);
      else runs.push(run);
    }
    return {
      runs,
      runCounters,
      runPayloads: this.runPayloads,
      runOutcomes: this.runOutcomes,
      links: [...this.newLinks.values()],
      attachedLinks: [...this.attachedLinks.values()].map(({ parentRunId, childRunId, childSessionId, childThreadId }) => ({
        parentRunId,
        childRunId,
        ...(childSessionId !== undefined ? { childSessionId } : {}),
        ...(childThreadId !== undefined ? { childThreadId } : {}),
      })),
      steps: [...this.newSteps.values()],
      finishedSteps: [...this.finishedSteps.values()],
      sessions: [...this.sessions.values()],
      closedSessions: [...this.closedSessions],
      threads: [...this.threads.values()],
      closedThreads: [...this.closedThreads],
    };
  }
}
