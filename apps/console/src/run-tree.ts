import type { ListedRun, RunStatus } from '@runtree/orchestration';

/** A line of the drawn tree. */
export interface TreeRow {
  readonly run: ListedRun;
  readonly depth: number;
  readonly childCount: number;
  readonly runningChildCount: number;
}

const byCreation = (a: ListedRun, b: ListedRun): number => a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId);

/** The runs of one tree, as the tree feed sends them (in any order, again on every change). */
export class RunTree {
  private readonly runs = new Map<string, ListedRun>();
  private readonly children = new Map<string, ListedRun[]>();
  /** Parents whose children arrived out of creation order since they were last sorted. */
  private readonly unsorted = new Set<string>();
  private rootRunId: string | undefined;

  get size(): number {
    return this.runs.size;
  }

  get root(): ListedRun | undefined {
    return this.rootRunId === undefined ? undefined : this.runs.get(this.rootRunId);
  }

  run(runId: string): ListedRun | undefined {
    return this.runs.get(runId);
  }

  upsert(run: ListedRun): void {
    const known = this.runs.get(run.runId);
    this.runs.set(run.runId, run);
    if (run.parentRunId === undefined) this.rootRunId = run.runId;
    else if (known === undefined) {
      const siblings = this.children.get(run.parentRunId) ?? [];
      siblings.push(run);
      this.children.set(run.parentRunId, siblings);
      this.unsorted.add(run.parentRunId);
    } else {
      const siblings = this.children.get(run.parentRunId) ?? [];
      siblings[siblings.findIndex((sibling) => sibling.runId === run.runId)] = run;
    }
  }

  countByStatus(): Record<RunStatus, number> {
    const counts: Record<RunStatus, number> = { running: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const run of this.runs.values()) counts[run.status]++;
    return counts;
  }

  /** Depth-first from the root, siblings oldest first; the children of a collapsed run are left out. */
  rows(collapsed: ReadonlySet<string>): TreeRow[] {
    const root = this.root;
    if (root === undefined) return [];
    const rows: TreeRow[] = [];
    const stack: { run: ListedRun; depth: number }[] = [{ run: root, depth: 0 }];
    while (stack.length > 0) {
      const { run, depth } = stack.pop() as { run: ListedRun; depth: number };
      const children = this.childrenOf(run.runId);
      rows.push({ run, depth, childCount: children.length, runningChildCount: children.filter((child) => child.status === 'running').length });
      if (collapsed.has(run.runId)) continue;
      for (let index = children.length - 1; index >= 0; index--) stack.push({ run: children[index] as ListedRun, depth: depth + 1 });
    }
    return rows;
  }

  /** Every run that has children, to collapse them all. */
  parents(): string[] {
    return [...this.children.keys()];
  }

  private childrenOf(runId: string): readonly ListedRun[] {
    const children = this.children.get(runId) ?? [];
    if (this.unsorted.delete(runId)) children.sort(byCreation);
    return children;
  }
}

/** `4.2 s`, `2m 06s`, `1h 02m`: how long the run ran, or has been running. */
export function durationOf(run: Pick<ListedRun, 'status' | 'createdAt' | 'updatedAt'>, now: number): string {
  const end = run.status === 'running' ? now : Date.parse(run.updatedAt);
  const ms = Math.max(0, end - Date.parse(run.createdAt));
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3_600)}h ${pad(Math.floor((seconds % 3_600) / 60))}m`;
}
