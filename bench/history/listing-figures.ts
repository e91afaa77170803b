import { repeat } from '../support/repeat.js';
import type { BenchContext } from '../support/section.js';
import type { SectionRun } from '../support/section-run.js';
import { perSecond, summarize } from '../support/stats.js';
import { formatNumber } from '../support/table.js';
import { CHILD_KINDS } from './agent-trees.js';
import type { HistoryJournal } from './history-journal.js';
import { measureListing, type ListingQuery } from './listing-requests.js';
import { startServiceChild } from './service-child.js';
import type { HistorySizes } from './sizes.js';

/** One kind of tool call in four: a fifth of the runs. */
export const LISTED_KIND = CHILD_KINDS[3];
const LIST_TARGET_P99_MS = 20;
const START_TIMEOUT_MS = 60 * 60_000;

const QUERIES: readonly (ListingQuery & { readonly targetP99?: number })[] = [
  { key: 'listRunning', search: '?status=running', matches: (run) => run.status === 'running', targetP99: LIST_TARGET_P99_MS },
  { key: 'listAll', search: '', matches: () => true },
  { key: 'listKind', search: `?kind=${LISTED_KIND}`, matches: (run) => run.kind === LISTED_KIND },
];

/** `GET /runs` latencies on a log of many runs: the journal grown to `listing-runs`, the service started on it. */
export async function measureListings(context: BenchContext, sizes: HistorySizes, run: SectionRun, journal: HistoryJournal): Promise<void> {
  const { progress } = context;
  const wanted = sizes['listing-runs'];
  const before = journal.size;
  progress(`listing: growing the log from ${formatNumber(before.runs)} to ${formatNumber(wanted)} runs`);
  const added = journal.grow((size) => size.runs >= wanted, (size) => progress(`listing: ${formatNumber(size.runs)} runs, ${formatNumber(size.events)} events written`));
  const { runs, events } = journal.size;
  const toProject = events - before.events;
  run.notes.push(`Listing log: ${formatNumber(added.events)} events (${formatNumber(added.runs)} runs) added in ${formatNumber(added.ms / 1000)} s (${formatNumber(perSecond(added.events, added.ms))} events/s), ${formatNumber(events)} events in all.`);
  progress(`listing: ${formatNumber(runs)} runs (${formatNumber(events)} events); the service starts with ${formatNumber(toProject)} of them to project`);

  const service = await startServiceChild(journal.path, { readyTimeoutMs: START_TIMEOUT_MS });
  try {
    run.add({ key: 'listingStart', label: `start to ready, ${formatNumber(toProject)} events to project (${formatNumber(events)}-event log)`, unit: 'ms', samples: [service.readyMs] });
    const requests = sizes['listing-requests'];
    for (const query of QUERIES) {
      const label = `GET /runs${query.search}, ${formatNumber(runs)} runs`;
      progress(`listing: ${label}, ${requests} sequential requests per run`);
      const latencies = await repeat(context.runs, context.warmups, () => measureListing(service.baseUrl, query, requests));
      run.add({ key: `${query.key}P50`, label: `${label}, p50`, unit: 'ms', samples: latencies.map((latency) => latency.p50Ms) });
      run.add({
        key: `${query.key}P99`,
        label: `${label}, p99`,
        unit: 'ms',
        samples: latencies.map((latency) => latency.p99Ms),
        ...(query.targetP99 === undefined ? {} : { target: { kind: 'atMost', value: query.targetP99 } as const }),
      });
      progress(`listing: ${label}: p99 ${formatNumber(summarize(latencies.map((latency) => latency.p99Ms)).median)} ms`);
    }
    await service.stop();
  } finally {
    await service.kill();
  }
}
