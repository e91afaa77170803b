/**
 * The history section: the built service in a child process as its history grows. Its heap and RSS
 * after many runs with large outputs; start to ready on a big log (empty store, first start, after a
 * clean stop, after a SIGKILL); `GET /runs` latencies on a log of many runs.
 */
import { describeMachine } from '../support/machine.js';
import type { BenchContext, BenchSection } from '../support/section.js';
import { SectionRun } from '../support/section-run.js';
import { resolveSizes } from '../support/sizes.js';
import { removeSqliteFiles } from '../support/sqlite-files.js';
import { formatNumber } from '../support/table.js';
import { HistoryJournal } from './history-journal.js';
import { LISTED_KIND, measureListings } from './listing-figures.js';
import { DEFAULT_PAGE } from './listing-requests.js';
import { FLAT_MIB, MEMORY_BUDGET_MIB, measureMemory } from './memory-figures.js';
import { HISTORY_SIZES, type HistorySizes } from './sizes.js';
import { RESTART_ALLOWANCE_MS, measureStartup } from './startup-figures.js';

export const historyBench: BenchSection = async (context) => {
  const sizes = resolveSizes(HISTORY_SIZES, context);
  const run = new SectionRun(context, 'history');
  await run.phase('memory', () => measureMemory(context, sizes, run));

  const journals = [new HistoryJournal(context.dataDir.freshFile('history-log.sqlite'))];
  try {
    await run.phase('startup', () => measureStartup(context, sizes, run, journals[0]));
    // A fill that failed leaves a journal of unknown size: the listing starts on a fresh one.
    if (!journals[0].usable) journals.unshift(new HistoryJournal(context.dataDir.freshFile('history-listing.sqlite')));
    await run.phase('listing', () => measureListings(context, sizes, run, journals[0]));
  } finally {
    if (!context.keepData) for (const journal of journals) removeSqliteFiles(journal.path);
  }
  run.notes.push(...historyNotes(context, sizes));
  return { name: 'history: the service as its history grows (SQLite journal and read store)', figures: run.figures, notes: run.notes, failures: run.failures };
};

function historyNotes(context: BenchContext, sizes: HistorySizes): string[] {
  const machine = describeMachine();
  return [
    `Sizes: ${Object.entries(sizes).map(([flag, value]) => `${flag} ${value}`).join(', ')}.`,
    ...(context.quick ? ['Quick sizes: the targets are set for 25,000 / 50,000 / 100,000 runs, a 1,000,000-event log and 1,000,000 listed runs; met/missed is only indicative here.'] : []),
    'Every figure is the built service (dist-bench/apps/runtree/src/main.js) in a child process, on a SQLite journal with its read store beside it (runtree.read.db), durable (synchronous=FULL), defaults otherwise.',
    `Memory: one service, runs written over HTTP (${sizes['memory-connections']} in flight; POST /runs, then POST /runs/:id/complete with a ${formatNumber(sizes['memory-output-bytes'] / 1024)} KiB JSON output),`,
    `  read at 1/4, 1/2 and all of ${formatNumber(sizes['memory-runs'])} runs with the load stopped: ${context.runs} readings each of process.memoryUsage() after two global.gc() in the service`,
    '  (node --expose-gc --import bench/history/memory-probe.js, answering SIGWINCH on stdout; no route is added). Targets: heap and RSS <= ' +
      `${MEMORY_BUDGET_MIB} MiB at every point, and flat: the last point at most ${FLAT_MIB} MiB above the first (growth = last - first reading, pairwise).`,
    'Start to ready: from spawning node to the service\'s "Runtree listening" line, printed once the read models caught up and start-up recovery is done.',
    '  Empty store: a store created by the warm-up start. First start: the read store is new, so it projects the whole log; "projection on first start"',
    `  is the log's events over (first start - empty-store start). Restart targets: at most the empty-store start + ${formatNumber(RESTART_ALLOWANCE_MS)} ms. After a SIGKILL: each`,
    '  start follows the SIGKILL of the ready service before it (WAL files left as they were); reported, no target.',
    'Logs: agent trees (a root with one step and 4 spawned tool-call children; 1 tree in 50 still running, 1 child in 20 failed, the rest completed;',
    '  about 3.2 events per run, a history spread over the past week) written straight into the journal, many trees per transaction, by',
    '  bench/history/agent-trees.ts: the run decider, the envelope and the hash chain of the write side, ids derived as the spawn handler derives them',
    '  (agent-trees.spec.ts checks them event for event against the facade). The facade builds such a log at about 2,500 events/s on this machine.',
    `  The listing log is the start-up log grown while the service is stopped; its start projects only the new events (its checkpoint is in the read store).`,
    `Listing: sequential GET /runs from the bench process, a page of the default ${DEFAULT_PAGE} runs each (checked: 200, a full page, every run matching, Link rel="next"),`,
    `  from the request to the last byte; p50/p99 of each run's ${sizes['listing-requests']} requests. status=running is about 2% of the runs, kind=${LISTED_KIND} about 20%.`,
    `The service and the bench share this machine (${machine.cpuCount} cores) with any other work on it; load average ${machine.loadAverage} at the end.`,
  ];
}
