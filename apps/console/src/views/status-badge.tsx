import type { RunStatus } from '@runtree/orchestration';

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span class={`status status-${status}`}>{status}</span>;
}
