import type { GroupCommitStats } from '../../libs/event-store/src/sqlite/index.js';
import type { MachineDescription } from '../support/machine.js';
import type { Summary } from '../support/stats.js';

export interface Figure extends Summary {
  readonly label: string;
  readonly unit: string;
  /** Median over the raw fsync median: above 1 means more than one write per fsync. */
  readonly ratioToFsync?: number;
}

export interface StoreBenchResults {
  readonly benchmark: 'store';
  readonly finishedAt: string;
  /** Described at the start and at the end, so a change of load during the run shows. */
  readonly machine: { readonly atStart: MachineDescription; readonly atEnd: MachineDescription };
  readonly config: Record<string, unknown>;
  readonly durability: { readonly journalMode: string; readonly synchronous: string };
  readonly figures: {
    readonly rawFsync: Figure;
    readonly appendOneWriter: Figure;
    readonly appendConcurrent: Figure;
    readonly appendBatched: Figure;
    readonly appendBatchedCalls: Figure;
    readonly readAll: Figure;
  };
  /** Summed over the recorded runs. */
  readonly groupCommit: {
    readonly oneWriter: GroupCommitStats;
    readonly concurrent: GroupCommitStats;
  };
}

export function figure(label: string, unit: string, summary: Summary, fsyncPerSecond?: number): Figure {
  return { label, unit, ...summary, ...(fsyncPerSecond === undefined ? {} : { ratioToFsync: summary.median / fsyncPerSecond }) };
}
