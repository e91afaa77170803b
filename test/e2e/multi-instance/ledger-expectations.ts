import type { ChildStatus, Relation, RunStatus, StepStatus } from '@runtree/orchestration';
import type { FleetCommand } from './fleet-commands.js';

/** What a run's status view must say, as the acknowledged commands made it. */
export interface ExpectedRun {
  readonly rootRunId: string;
  readonly parentRunId?: string;
  readonly relation?: Relation;
  readonly status: RunStatus;
  readonly childCount: number;
  readonly activeChildCount: number;
  readonly stepCount: number;
  readonly activeStepCount: number;
}

interface RunFacts {
  readonly rootRunId: string;
  readonly parentRunId?: string;
  readonly relation?: Relation;
  status: RunStatus;
  readonly children: string[];
  readonly steps: Map<string, StepStatus>;
}

/**
 * Replays the acknowledged commands, in the order they were sent (each depends only on ones
 * acknowledged before it), into the runs they made: a cancel ends the target and every run still
 * running below it, with their running steps.
 */
export function expectedRuns(acknowledged: readonly FleetCommand[]): Map<string, ExpectedRun> {
  const runs = new Map<string, RunFacts>();
  const runOf = (runId: string): RunFacts => {
    const run = runs.get(runId);
    if (run === undefined) throw new Error(`the ledger acknowledged a command on ${runId}, which it never started`);
    return run;
  };
  const cancel = (runId: string): void => {
    const run = runOf(runId);
    if (run.status === 'running') {
      run.status = 'cancelled';
      for (const [stepId, status] of run.steps) if (status === 'running') run.steps.set(stepId, 'cancelled');
    }
    run.children.forEach(cancel);
  };
  for (const command of acknowledged) {
    switch (command.kind) {
      case 'start':
        runs.set(command.runId, { rootRunId: command.runId, status: 'running', children: [], steps: new Map() });
        break;
      case 'spawn':
      case 'delegate': {
        const parent = runOf(command.parentRunId);
        parent.children.push(command.childRunId);
        const relation = command.kind === 'spawn' ? 'spawned' : 'delegated';
        runs.set(command.childRunId, { rootRunId: parent.rootRunId, parentRunId: command.parentRunId, relation, status: 'running', children: [], steps: new Map() });
        break;
      }
      case 'startStep':
        runOf(command.runId).steps.set(command.stepId, 'running');
        break;
      case 'completeStep':
        runOf(command.runId).steps.set(command.stepId, 'completed');
        break;
      case 'complete':
        runOf(command.runId).status = 'completed';
        break;
      case 'cancel':
        cancel(command.runId);
        break;
    }
  }
  return new Map(
    [...runs].map(([runId, run]) => [
      runId,
      {
        rootRunId: run.rootRunId,
        ...(run.parentRunId !== undefined ? { parentRunId: run.parentRunId, relation: run.relation } : {}),
        status: run.status,
        childCount: run.children.length,
        activeChildCount: run.children.filter((child) => runOf(child).status === 'running').length,
        stepCount: run.steps.size,
        activeStepCount: [...run.steps.values()].filter((status) => status === 'running').length,
      },
    ]),
  );
}

/** A status view in the shape of `ExpectedRun`, so the two compare as values. */
export function asExpected(rootRunId: string, view: ChildStatus): ExpectedRun {
  return {
    rootRunId,
    ...(view.parentRunId !== undefined ? { parentRunId: view.parentRunId, relation: view.relation } : {}),
    status: view.run.status,
    childCount: view.childCount,
    activeChildCount: view.activeChildCount,
    stepCount: view.stepCount,
    activeStepCount: view.activeStepCount,
  };
}
