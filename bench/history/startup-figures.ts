import { repeat } from '../support/repeat.js';
import type { BenchContext } from '../support/section.js';
import type { SectionRun } from '../support/section-run.js';
import { removeSqliteFiles } from '../support/sqlite-files.js';
import { perSecond, summarize } from '../support/stats.js';
import { formatNumber } from '../support/table.js';
import type { HistoryJournal } from './history-journal.js';
import { startServiceChild } from './service-child.js';
import type { HistorySizes } from './sizes.js';

/** A restart on a stopped service's log may take this much longer than a start on an empty store (the target). */
export const RESTART_ALLOWANCE_MS = 1000;
const READY_TIMEOUT_MS = 120_000;
/** A first start projects the whole log: at a few thousand events a second on a busy machine, a million takes minutes. */
const FIRST_START_TIMEOUT_MS = 60 * 60_000;

/**
 * Start to ready (spawn to the listening line): on an empty store; on the history log the first time
 * (the whole log projected), after a clean stop, and after a SIGKILL of a ready service.
 */
export async function measureStartup(context: BenchContext, sizes: HistorySizes, run: SectionRun, journal: HistoryJournal): Promise<void> {
  let emptyMedian: number | undefined;
  await run.phase('startup: empty store', async () => {
    emptyMedian = await measureEmptyStart(context, run);
  });
  await run.phase('startup: history log', () => measureLogStarts(context, sizes, run, journal, emptyMedian));
}

async function measureEmptyStart(context: BenchContext, run: SectionRun): Promise<number> {
  const path = context.dataDir.freshFile('history-empty.sqlite');
  try {
    context.progress('startup: empty store, start and clean stop');
    // The warm-up creates the store: the recorded starts open an empty one, as every restart below opens its log.
    const samples = await repeat(context.runs, context.warmups, async () => {
      const service = await startServiceChild(path, { readyTimeoutMs: READY_TIMEOUT_MS });
      await service.stop();
      return service.readyMs;
    });
    run.add({ key: 'startEmpty', label: 'start to ready, empty store', unit: 'ms', samples });
    return summarize(samples).median;
  } finally {
    if (!context.keepData) removeSqliteFiles(path);
  }
}

async function measureLogStarts(context: BenchContext, sizes: HistorySizes, run: SectionRun, journal: HistoryJournal, emptyMedian: number | undefined): Promise<void> {
  const { progress } = context;
  const wanted = sizes['startup-events'];
  progress(`startup: writing a log of ${formatNumber(wanted)} events into the journal`);
  const filled = journal.grow((size) => size.events >= wanted, (size) => progress(`startup: ${formatNumber(size.events)} events written`));
  const { events, runs } = journal.size;
  progress(`startup: ${formatNumber(events)} events (${formatNumber(runs)} runs) written in ${formatNumber(filled.ms / 1000)} s; first start projects them all`);
  run.notes.push(`Start-up log: ${formatNumber(events)} events (${formatNumber(runs)} runs) written in ${formatNumber(filled.ms / 1000)} s (${formatNumber(perSecond(filled.events, filled.ms))} events/s).`);
  const eventsLabel = `${formatNumber(events)}-event log`;

  const first = await startServiceChild(journal.path, { readyTimeoutMs: FIRST_START_TIMEOUT_MS });
  try {
    await first.stop();
  } finally {
    await first.kill();
  }
  run.add({ key: 'firstStart', label: `first start to ready, ${eventsLabel} (projects it all)`, unit: 'ms', samples: [first.readyMs] });
  if (emptyMedian !== undefined) {
    run.add({ key: 'firstStartProjection', label: `projection on first start, ${eventsLabel}`, unit: 'events/s', samples: [(events * 1000) / Math.max(1, first.readyMs - emptyMedian)] });
  }

  progress(`startup: ${eventsLabel}, restarts after a clean stop (SIGTERM)`);
  const afterStop = await repeat(context.runs, context.warmups, async () => {
    const service = await startServiceChild(journal.path, { readyTimeoutMs: READY_TIMEOUT_MS });
    await service.stop();
    return service.readyMs;
  });
  const empty = emptyMedian === undefined ? {} : { ratioTo: { name: 'empty store', median: emptyMedian }, target: { kind: 'atMost', value: emptyMedian + RESTART_ALLOWANCE_MS } as const };
  run.add({ key: 'restartAfterStop', label: `start to ready, ${eventsLabel}, after a clean stop`, unit: 'ms', samples: afterStop, ...empty });

  progress(`startup: ${eventsLabel}, restarts after a SIGKILL of a ready service`);
  let ready = await startServiceChild(journal.path, { readyTimeoutMs: READY_TIMEOUT_MS });
  try {
    const afterKill = await repeat(context.runs, context.warmups, async () => {
      await ready.kill();
      ready = await startServiceChild(journal.path, { readyTimeoutMs: READY_TIMEOUT_MS });
      return ready.readyMs;
    });
    const ratio = emptyMedian === undefined ? {} : { ratioTo: { name: 'empty store', median: emptyMedian } };
    run.add({ key: 'restartAfterKill', label: `start to ready, ${eventsLabel}, after a SIGKILL`, unit: 'ms', samples: afterKill, ...ratio });
    // The listing figures grow this journal next: leave it closed cleanly.
    await ready.stop();
  } finally {
    await ready.kill();
  }
}
