import type { ListedRun, RunPage } from '@runtree/orchestration';

const payloadFields = ['metadata', 'input', 'output', 'error', 'cancelReason'] as const;

/** Columns padded to the widest value of the page, so a page reads as a table. */
function padded(values: readonly string[]): string[] {
  const width = Math.max(0, ...values.map((value) => value.length));
  return values.map((value) => value.padEnd(width));
}

/** The payloads `--include` asked for, as compact JSON after the run's columns. */
function payloadsOf(run: ListedRun): string {
  return payloadFields
    .filter((field) => run[field] !== undefined)
    .map((field) => `  ${field} ${JSON.stringify(run[field])}`)
    .join('');
}

/** One line per run (id, kind, status, createdAt, parent), then how to ask for the next page. */
export function runPageLines(page: RunPage): string[] {
  if (page.runs.length === 0) return ['no runs'];
  const ids = padded(page.runs.map((run) => run.runId));
  const kinds = padded(page.runs.map((run) => run.kind));
  const statuses = padded(page.runs.map((run) => run.status));
  const lines = page.runs.map((run, index) => {
    const parent = run.parentRunId === undefined ? '' : `  parent ${run.parentRunId}`;
    return `${ids[index]}  ${kinds[index]}  ${statuses[index]}  ${run.createdAt}${parent}${payloadsOf(run)}`;
  });
  return page.nextCursor === undefined ? lines : [...lines, `more runs: add --cursor ${page.nextCursor} for the next page`];
}
