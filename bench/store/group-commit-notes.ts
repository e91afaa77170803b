import type { GroupCommitStats } from '../../libs/event-store/src/sqlite/index.js';
import { formatNumber, formatTable } from '../support/table.js';

export interface GroupCommitRun {
  readonly label: string;
  readonly stats: GroupCommitStats;
  /** The run's median ÷ the raw fsync median. */
  readonly ratioToFsync: number;
}

/** Why concurrent writers beat the fsync rate: how many callers' appends group commit put in each transaction. */
export function groupCommitNotes(oneWriter: GroupCommitRun, concurrent: GroupCommitRun, writers: number): string[] {
  return [
    'Group commit (stats(), summed over the recorded runs):',
    ...formatTable(['run', 'writes', 'transactions', 'writes/transaction'], [oneWriter, concurrent].map(groupCommitRow)).split('\n'),
    `Each transaction costs one fsync. With ${writers} concurrent writers, group commit put ${formatNumber(perTransaction(concurrent.stats))} callers'`,
    `appends in each transaction: that is what lets them reach ${formatNumber(concurrent.ratioToFsync)}x the raw fsync rate, where one writer gets ${formatNumber(oneWriter.ratioToFsync)}x.`,
  ];
}

function groupCommitRow(run: GroupCommitRun): (string | number)[] {
  return [run.label, run.stats.writes, run.stats.transactions, perTransaction(run.stats)];
}

function perTransaction(stats: GroupCommitStats): number {
  return stats.transactions === 0 ? 0 : stats.writes / stats.transactions;
}
