import { OrchestratorError, type Link, type Orchestrator, type Run } from '@runtree/orchestration';
import type { ReadModels } from '@runtree/orchestration';

/** What the lineage and status read models say about one run: what replay prints and compares. */
export interface RunView {
  readonly run: Run;
  readonly link: Link | null;
  /** Visible children, oldest first. */
  readonly children: readonly string[];
  readonly stepCount: number;
  readonly activeStepCount: number;
  readonly childCount: number;
  readonly activeChildCount: number;
}

export function replayedView(models: ReadModels, runId: string): RunView | undefined {
  const entry = models.getRun(runId);
  if (entry === undefined) return undefined;
  return {
    run: entry.run,
    link: entry.link ?? null,
    children: [...entry.childIds],
    stepCount: entry.stepCount,
    activeStepCount: entry.activeStepCount,
    childCount: entry.childCount,
    activeChildCount: entry.activeChildCount,
  };
}

/** The same view through the live orchestrator's public queries; undefined when it does not know the run. */
export async function liveView(orchestrator: Orchestrator, runId: string): Promise<RunView | undefined> {
  try {
    const [status, collected] = await Promise.all([
      orchestrator.status(runId),
      orchestrator.collect(runId, { includeSteps: false, includeJournal: false, includeDescendants: false }),
    ]);
    return {
      run: status.run,
      link: collected.link ?? null,
      children: collected.children.map((child) => child.run.runId),
      stepCount: status.stepCount,
      activeStepCount: status.activeStepCount,
      childCount: status.childCount,
      activeChildCount: status.activeChildCount,
    };
  } catch (error) {
    if (error instanceof OrchestratorError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/** Every replayed run, each tree root first and then its descendants depth-first, siblings oldest first. */
export function replayedViews(models: ReadModels, runIds: readonly string[]): RunView[] {
  const roots = runIds.filter((runId) => models.getRun(runId)?.link === undefined);
  return roots.flatMap((root) => [root, ...models.descendantIds(root)]).map((runId) => replayedView(models, runId)!);
}
