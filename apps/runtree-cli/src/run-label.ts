import type { Run } from '@runtree/orchestration';

/** The words every diagram line starts with: id, status, kind, and how the run hangs under its parent. */
export function runLabel(run: Run): string {
  const relation = run.relation === undefined ? 'root' : `${run.relation} on ${run.substrate}`;
  return `${run.runId}  ${run.status}  ${run.kind}  ${relation}`;
}
