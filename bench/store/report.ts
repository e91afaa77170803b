import type { GroupCommitStats } from '../../libs/event-store/src/sqlite/index.js';
import { formatMachine } from '../support/machine.js';
import { formatNumber, formatTable } from '../support/table.js';
import type { Figure, StoreBenchResults } from './results.js';

export function formatStoreReport(results: StoreBenchResults): string {
  const { figures, groupCommit, config } = results;
  const rows = Object.values(figures).map((row: Figure) => [
    row.label,
    row.unit,
    row.median,
    row.min,
    row.max,
    row.ratioToFsync ?? '-',
  ]);
  const runs = `median of ${String(config.runs)} runs after ${String(config.warmups)} warm-up`;
  return [
    `SQLite event store (journal_mode=${results.durability.journalMode}, synchronous=${results.durability.synchronous}), ${runs}`,
    `start: ${formatMachine(results.machine.atStart)}`,
    `end:   load average ${results.machine.atEnd.loadAverage}`,
    '',
    formatTable(['figure', 'unit', 'median', 'min', 'max', 'x fsync'], rows),
    '',
    'Group commit (stats(), summed over the recorded runs):',
    formatTable(
      ['run', 'writes', 'transactions', 'writes/transaction'],
      [
        groupCommitRow(figures.appendOneWriter.label, groupCommit.oneWriter),
        groupCommitRow(figures.appendConcurrent.label, groupCommit.concurrent),
      ],
    ),
    '',
    `Each transaction costs one fsync. With ${String(config.concurrentWriters)} concurrent writers, group commit put`,
    `${formatNumber(perTransaction(groupCommit.concurrent))} callers' appends in each transaction: that is what lets them reach`,
    `${formatNumber(figures.appendConcurrent.ratioToFsync ?? 0)}x the raw fsync rate, where one writer gets ${formatNumber(figures.appendOneWriter.ratioToFsync ?? 0)}x.`,
  ].join('\n');
}

function groupCommitRow(label: string, stats: GroupCommitStats): (string | number)[] {
  return [label, stats.writes, stats.transactions, perTransaction(stats)];
}

function perTransaction(stats: GroupCommitStats): number {
  return stats.transactions === 0 ? 0 : stats.writes / stats.transactions;
}
