import type { ReadStore } from '@runtree/read-store';
import { linkOf, OrchestratorError, runOf, type Link, type Orchestrator, type Run } from '@runtree/orchestration';

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

export async function replayedView(models: ReadStore, runId: string): Promise<RunView | undefined> {
  const [record, self, children] = await Promise.all([models.run(runId), models.child(runId), models.children(runId)]);
  if (record === undefined) return undefined;
  return {
    run: runOf(record),
    link: self === undefined ? null : linkOf(self.link),
    children: children.map((child) => child.run.runId),
    stepCount: record.stepCount,
    activeStepCount: record.activeStepCount,
    childCount: record.childCount,
    activeChildCount: record.activeChildCount,
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
export async function replayedViews(models: ReadStore, runIds: readonly string[]): Promise<RunView[]> {
  const cores = await Promise.all(runIds.map((runId) => models.runCore(runId)));
  const roots = runIds.filter((_, index) => cores[index]?.linked === false);
  const order: string[] = [];
  for (const root of roots) order.push(root, ...(await models.descendants(root)).map((child) => child.run.runId));
  return Promise.all(order.map(async (runId) => (await replayedView(models, runId))!));
}
