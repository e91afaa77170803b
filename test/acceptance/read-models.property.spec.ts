import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  OrchestratorError,
  type Child,
  type ErrorCode,
  type Orchestrator,
  type Run,
  type RunStatus,
  type SessionTarget,
  type ThreadTarget,
} from '@runtree/orchestration';
import { esdbDoubleTarget, openOrchestrator, sqliteMemoryTarget, type StoreTarget } from '../support/orchestrator-targets.js';

/** Indexes pick among what exists when the command runs (modulo the count), so every sequence is meaningful. */
type Command =
  | { readonly type: 'startRun'; readonly session: number | null; readonly thread: number | null }
  | { readonly type: 'spawn'; readonly parent: number; readonly session: 'inherit' | 'none' | 'open'; readonly thread: 'inherit' | 'none' | 'start' }
  | { readonly type: 'delegate'; readonly parent: number }
  | { readonly type: 'completeRun' | 'failRun' | 'cancel' | 'startStep'; readonly run: number }
  | { readonly type: 'completeStep'; readonly run: number; readonly step: number }
  | { readonly type: 'openSession' }
  | { readonly type: 'closeSession'; readonly session: number }
  | { readonly type: 'startThread'; readonly session: number };

const index = fc.nat({ max: 999 });
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ type: fc.constant('startRun' as const), session: fc.option(index), thread: fc.option(index) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('spawn' as const),
      parent: index,
      session: fc.constantFrom('inherit' as const, 'none' as const, 'open' as const),
      thread: fc.constantFrom('inherit' as const, 'none' as const, 'start' as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('delegate' as const), parent: index }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constantFrom('completeRun' as const, 'failRun' as const, 'cancel' as const, 'startStep' as const), run: index }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('completeStep' as const), run: index, step: index }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('openSession' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('closeSession' as const), session: index }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('startThread' as const), session: index }) },
);

interface ModelRun {
  status: RunStatus;
  readonly parent?: string;
  readonly children: string[];
  readonly steps: Map<string, RunStatus>;
  readonly sessionId?: string;
  readonly threadId?: string;
  readonly ownsSession: boolean;
}

interface ModelSession {
  open: boolean;
  readonly owned: boolean;
  readonly threads: string[];
}

/** What the spec says the orchestrator's state is after the commands so far. */
class Model {
  readonly runs = new Map<string, ModelRun>();
  readonly runOrder: string[] = [];
  readonly sessions = new Map<string, ModelSession>();
  readonly sessionOrder: string[] = [];
  /** Statuses seen terminal: they must never change again. */
  readonly seenTerminal = new Map<string, RunStatus>();

  pickRun(at: number): string | undefined {
    return this.runOrder.length ? this.runOrder[at % this.runOrder.length] : undefined;
  }

  pickSession(at: number, free = false): string | undefined {
    const candidates = free ? this.sessionOrder.filter((id) => !this.sessions.get(id)?.owned) : this.sessionOrder;
    return candidates.length ? candidates[at % candidates.length] : undefined;
  }

  run(runId: string): ModelRun {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`model has no run ${runId}`);
    return run;
  }

  addRun(runId: string, run: Omit<ModelRun, 'children' | 'steps' | 'status'>): void {
    this.runs.set(runId, { ...run, status: 'running', children: [], steps: new Map() });
    this.runOrder.push(runId);
    if (run.parent) this.run(run.parent).children.push(runId);
  }

  addSession(sessionId: string, owned: boolean): void {
    this.sessions.set(sessionId, { open: true, owned, threads: [] });
    this.sessionOrder.push(sessionId);
  }

  /** A run becomes terminal: its running steps are cancelled. */
  finish(runId: string, status: RunStatus): void {
    const run = this.run(runId);
    run.status = status;
    for (const [stepId, stepStatus] of run.steps) if (stepStatus === 'running') run.steps.set(stepId, 'cancelled');
    if (status === 'cancelled' && run.ownsSession && run.sessionId) (this.sessions.get(run.sessionId) as ModelSession).open = false;
  }

  cancelTree(runId: string): void {
    const run = this.run(runId);
    for (const child of run.children) this.cancelTree(child);
    if (run.status === 'running') this.finish(runId, 'cancelled');
  }
}

/** Runs `action`; it must succeed when `codes` is empty, and fail with one of `codes` otherwise (or either, when `eitherWay`). */
async function expectOutcome<T>(command: Command, codes: readonly ErrorCode[], action: () => Promise<T>, eitherWay = false): Promise<T | undefined> {
  try {
    const value = await action();
    if (codes.length > 0 && !eitherWay) throw new Error(`${JSON.stringify(command)} succeeded, expected one of ${codes.join(', ')}`);
    return value;
  } catch (error) {
    if (error instanceof OrchestratorError && codes.includes(error.code)) return undefined;
    throw error;
  }
}

function expectedSubstrate(session: 'inherit' | 'none' | 'open', thread: 'inherit' | 'none' | 'start'): string {
  if (session === 'open') return thread === 'start' ? 'session_thread' : 'session';
  if (session === 'inherit' && thread === 'start') return 'thread';
  return 'run';
}

async function execute(orchestrator: Orchestrator, model: Model, command: Command): Promise<void> {
  switch (command.type) {
    case 'startRun': {
      const sessionId = command.session === null ? undefined : model.pickSession(command.session, true);
      const session = sessionId ? model.sessions.get(sessionId) : undefined;
      const threadId = session && command.thread !== null && session.threads.length ? session.threads[command.thread % session.threads.length] : undefined;
      const run = await expectOutcome(command, session && !session.open ? ['session_closed'] : [], () => orchestrator.startRun({ sessionId, threadId }));
      if (run) model.addRun(run.runId, { sessionId, threadId, ownsSession: false });
      return;
    }
    case 'spawn':
    case 'delegate': {
      const parentId = model.pickRun(command.parent);
      if (!parentId) return;
      const parent = model.run(parentId);
      const sessionChoice = command.type === 'spawn' ? command.session : 'inherit';
      const threadChoice = command.type === 'spawn' ? command.thread : 'inherit';
      const inheritedSession = sessionChoice === 'inherit' ? parent.sessionId : undefined;
      const codes: ErrorCode[] = [];
      if (parent.status !== 'running') codes.push('parent_not_running');
      if (inheritedSession && !model.sessions.get(inheritedSession)?.open) codes.push('session_closed');
      if (threadChoice === 'start' && sessionChoice !== 'open' && !inheritedSession) codes.push('session_required_for_thread');
      const options = {
        session: (sessionChoice === 'open' ? { open: {} } : sessionChoice) as SessionTarget,
        thread: (threadChoice === 'start' ? { start: {} } : threadChoice) as ThreadTarget,
      };
      const child = await expectOutcome<Child | Run>(command, codes, () =>
        command.type === 'spawn' ? orchestrator.spawn(parentId, options) : orchestrator.delegate(parentId, { job: model.runOrder.length }),
      );
      if (!child) return;
      const run = 'run' in child ? child.run : child;
      if (command.type === 'spawn') expect({ command, substrate: run.substrate }).toEqual({ command, substrate: expectedSubstrate(sessionChoice, threadChoice) });
      expect({ command, sessionId: run.sessionId }).toEqual({ command, sessionId: sessionChoice === 'open' ? expect.any(String) : inheritedSession });
      if (sessionChoice === 'inherit' && threadChoice === 'inherit') expect({ command, threadId: run.threadId }).toEqual({ command, threadId: parent.threadId });
      if (sessionChoice === 'open') model.addSession(run.sessionId as string, true);
      if (threadChoice === 'start' && run.threadId) model.sessions.get(run.sessionId as string)?.threads.push(run.threadId);
      model.addRun(run.runId, { parent: parentId, sessionId: run.sessionId, threadId: run.threadId, ownsSession: sessionChoice === 'open' });
      return;
    }
    case 'completeRun':
    case 'failRun': {
      const runId = model.pickRun(command.run);
      if (!runId) return;
      const from = model.run(runId).status;
      const run = await expectOutcome(command, from === 'running' ? [] : ['invalid_status_transition'], () =>
        command.type === 'completeRun' ? orchestrator.completeRun(runId, 'ok') : orchestrator.failRun(runId, 'no'),
      );
      if (run) model.finish(runId, command.type === 'completeRun' ? 'completed' : 'failed');
      return;
    }
    case 'cancel': {
      const runId = model.pickRun(command.run);
      if (!runId) return;
      await orchestrator.cancel(runId, 'property');
      model.cancelTree(runId);
      const { descendants } = await orchestrator.collect(runId, { includeDescendants: true, includeJournal: false, includeSteps: false });
      expect((descendants ?? []).filter((child) => child.run.status === 'running')).toEqual([]);
      return;
    }
    case 'startStep': {
      const runId = model.pickRun(command.run);
      if (!runId) return;
      const running = model.run(runId).status === 'running';
      const step = await expectOutcome(command, running ? [] : ['invalid_status_transition', 'parent_not_running'], () => orchestrator.startStep(runId));
      if (step) model.run(runId).steps.set(step.stepId, 'running');
      return;
    }
    case 'completeStep': {
      const runId = model.pickRun(command.run);
      const steps = runId ? [...model.run(runId).steps.keys()] : [];
      if (!runId || steps.length === 0) return;
      const stepId = steps[command.step % steps.length];
      const running = model.run(runId).steps.get(stepId) === 'running';
      const step = await expectOutcome(command, running ? [] : ['invalid_status_transition'], () => orchestrator.completeStep(runId, stepId));
      if (step) model.run(runId).steps.set(stepId, 'completed');
      return;
    }
    case 'openSession': {
      model.addSession((await orchestrator.openSession()).sessionId, false);
      return;
    }
    case 'closeSession': {
      const sessionId = model.pickSession(command.session);
      if (!sessionId) return;
      const session = model.sessions.get(sessionId) as ModelSession;
      // Closing a closed session is not specified: either outcome is accepted.
      await expectOutcome(command, session.open ? [] : ['invalid_status_transition', 'session_closed'], () => orchestrator.closeSession(sessionId), !session.open);
      session.open = false;
      return;
    }
    case 'startThread': {
      const sessionId = model.pickSession(command.session);
      if (!sessionId) return;
      const session = model.sessions.get(sessionId) as ModelSession;
      const thread = await expectOutcome(command, session.open ? [] : ['session_closed'], () => orchestrator.startThread(sessionId));
      if (thread) session.threads.push(thread.threadId);
      return;
    }
  }
}

/** Every invariant of the spec, live state against the model. */
async function checkInvariants(orchestrator: Orchestrator, model: Model): Promise<void> {
  for (const runId of model.runOrder) {
    const expected = model.run(runId);
    const status = await orchestrator.status(runId);
    const seen = model.seenTerminal.get(runId);
    if (seen) expect({ runId, status: status.run.status }).toEqual({ runId, status: seen });
    if (status.run.status !== 'running') model.seenTerminal.set(runId, status.run.status);

    const children = await orchestrator.listChildren(runId);
    const steps = (await orchestrator.collect(runId, { includeJournal: false })).steps ?? [];
    const runningChildren = expected.children.filter((child) => model.run(child).status === 'running');
    expect({
      runId,
      status: status.run.status,
      awaitable: status.awaitable,
      children: children.map((child) => child.run.runId),
      childCount: status.childCount,
      activeChildCount: status.activeChildCount,
      activeChildrenListed: children.filter((child) => child.run.status === 'running').length,
      steps: Object.fromEntries(steps.map((step) => [step.stepId, step.status])),
      stepCount: status.stepCount,
      activeStepCount: status.activeStepCount,
    }).toEqual({
      runId,
      status: expected.status,
      awaitable: expected.status === 'running',
      children: expected.children,
      childCount: expected.children.length,
      activeChildCount: runningChildren.length,
      activeChildrenListed: runningChildren.length,
      steps: Object.fromEntries(expected.steps),
      stepCount: expected.steps.size,
      activeStepCount: [...expected.steps.values()].filter((stepStatus) => stepStatus === 'running').length,
    });
  }
}

/** What the read models say about every run, through the public queries. */
async function readModelSnapshot(orchestrator: Orchestrator, model: Model) {
  const roots = model.runOrder.filter((runId) => !model.run(runId).parent);
  return {
    trees: await Promise.all(roots.map((runId) => orchestrator.collect(runId, { includeDescendants: true, includeJournal: true }))),
    statuses: await Promise.all(model.runOrder.map((runId) => orchestrator.status(runId))),
  };
}

async function expectRebuildEqualsLive(orchestrator: Orchestrator, model: Model): Promise<void> {
  const live = await readModelSnapshot(orchestrator, model);
  await orchestrator.clear();
  await orchestrator.rebuild();
  expect(await readModelSnapshot(orchestrator, model)).toEqual(live);
}

const checkEvery = 8;

/** Every pairing of journal and read store; each sequence gets a fresh pair (a database of its own on PostgreSQL). */
const pairings: readonly { readonly target: StoreTarget; readonly numRuns: number }[] = [
  { target: sqliteMemoryTarget, numRuns: 25 },
  { target: esdbDoubleTarget, numRuns: 25 },
];

describe.each(pairings)('read models on random command sequences [$target.name]', ({ target, numRuns }) => {
  it('keep every invariant, and rebuild() from the journal equals the live read models', async () => {
    const property = fc.asyncProperty(fc.array(commandArbitrary, { minLength: 1, maxLength: 40 }), async (commands) => {
      const started = await openOrchestrator(target);
      try {
        const orchestrator = started.orchestrator;
        const model = new Model();
        await execute(orchestrator, model, { type: 'startRun', session: null, thread: null });
        for (const [position, command] of commands.entries()) {
          await execute(orchestrator, model, command);
          if ((position + 1) % checkEvery === 0) await checkInvariants(orchestrator, model);
          if (position + 1 === Math.floor(commands.length / 2)) await expectRebuildEqualsLive(orchestrator, model);
        }
        await checkInvariants(orchestrator, model);
        await expectRebuildEqualsLive(orchestrator, model);
        await checkInvariants(orchestrator, model);
      } finally {
        await started.close();
      }
    });
    // fc.assert reports the seed and path of a failure; FC_SEED=<seed> replays it.
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
    await fc.assert(property, { numRuns, seed, endOnFailure: true });
  }, 240_000);
});
