import type { RecordedEvent } from '@runtree/event-store';
import type { LoadedRows, RowKeys } from '@runtree/read-store';
import type { DomainEvent } from '../events/event-registry.js';
import { streamPrefixes } from '../streams/stream-names.js';
import { idIn } from './read-model-fold.js';
import { WorkingSet } from './working-set.js';

/** An event of the log with its decoded domain event: what the fold applies. */
export interface ProjectedEvent {
  readonly recorded: RecordedEvent;
  readonly event: DomainEvent;
}

class KeyCollector {
  readonly runIds = new Set<string>();
  readonly links = new Map<string, { parentRunId: string; childRunId: string }>();
  readonly steps = new Map<string, { runId: string; stepId: string }>();

  run(runId: string | undefined): void {
    if (runId !== undefined) this.runIds.add(runId);
  }

  link(parentRunId: string, childRunId: string): void {
    this.links.set(`${parentRunId}\u0000${childRunId}`, { parentRunId, childRunId });
  }

  step(runId: string, stepId: string): void {
    this.steps.set(`${runId}\u0000${stepId}`, { runId, stepId });
  }
}

/** The rows the events name directly: their runs, the parents and links of children, their steps. */
function directKeys(batch: readonly ProjectedEvent[]): KeyCollector {
  const keys = new KeyCollector();
  for (const { recorded, event } of batch) {
    const runId = idIn(recorded.streamName, streamPrefixes.run);
    switch (event.type) {
      case 'RunStarted': {
        keys.run(event.data.runId);
        const lineage = event.data.lineage;
        if (lineage !== undefined) {
          keys.run(lineage.parentRunId);
          keys.link(lineage.parentRunId, event.data.runId);
        }
        break;
      }
      case 'ChildSpawned':
      case 'ChildDelegated':
        keys.run(runId);
        keys.run(event.data.childRunId);
        break;
      case 'StepStarted':
      case 'StepCompleted':
      case 'StepFailed':
      case 'StepCancelled':
        keys.run(runId);
        if (runId !== undefined) keys.step(runId, event.data.stepId);
        break;
      default:
        keys.run(runId);
    }
  }
  return keys;
}

/**
 * Loads what the fold will touch for this batch: the rows the events name, then the parents and
 * roots of those runs (a child's start or end moves its parent's and its root's counters), then the
 * roots of those parents (a child attached under a parent counts for the parent's root). No further:
 * a deep chain's ancestors are never walked.
 */
export async function loadBatchRows(batch: readonly ProjectedEvent[], load: (keys: RowKeys) => Promise<LoadedRows>): Promise<WorkingSet> {
  const wanted = directKeys(batch);
  const requested = new Set(wanted.runIds);
  const named = await load({ runIds: [...wanted.runIds], links: [...wanted.links.values()], steps: [...wanted.steps.values()] });
  const more = (ids: Iterable<string | undefined>): string[] => {
    const fresh: string[] = [];
    for (const id of ids) {
      if (id === undefined || requested.has(id)) continue;
      requested.add(id);
      fresh.push(id);
    }
    return fresh;
  };
  const parentsAndRoots = more(named.runs.flatMap((run) => [run.parentRunId, run.rootRunId]));
  const related = parentsAndRoots.length === 0 ? noRows : await load({ runIds: parentsAndRoots, links: [], steps: [] });
  const roots = more(related.runs.map((run) => run.rootRunId));
  const rootsOfParents = roots.length === 0 ? noRows : await load({ runIds: roots, links: [], steps: [] });
  return new WorkingSet({
    runs: [...named.runs, ...related.runs, ...rootsOfParents.runs],
    links: named.links,
    steps: named.steps,
  });
}

const noRows: LoadedRows = { runs: [], links: [], steps: [] };
