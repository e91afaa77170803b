import { percentile } from '../support/stats.js';

/** The listing's default page: what a request without `limit` gets. */
export const DEFAULT_PAGE = 100;
const REQUEST_TIMEOUT_MS = 10_000;

export interface ListingQuery {
  /** Figure keys start `history.<key>`. */
  readonly key: string;
  /** The query string, e.g. `?status=running` ('' for none). */
  readonly search: string;
  /** What every listed run must satisfy, e.g. `run.status === 'running'`. */
  readonly matches: (run: ListedRun) => boolean;
}

interface ListedRun {
  readonly runId: string;
  readonly status: string;
  readonly kind: string;
}

export interface ListingLatencies {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * `requests` sequential `GET /runs<search>`, each timed from the request to the last byte of its
 * answer. Every answer is checked afterwards, off the clock: a 200 with a full default page of
 * matching runs and a `Link: rel="next"`, so an empty or wrong answer cannot pass for a fast one.
 */
export async function measureListing(baseUrl: string, query: ListingQuery, requests: number): Promise<ListingLatencies> {
  const latencies: number[] = [];
  for (let request = 0; request < requests; request += 1) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/runs${query.search}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    latencies.push(performance.now() - started);
    checkPage(query, response, text);
  }
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

function checkPage(query: ListingQuery, response: Response, text: string): void {
  const what = `GET /runs${query.search}`;
  if (response.status !== 200) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  const { runs } = JSON.parse(text) as { runs: ListedRun[] };
  if (runs.length !== DEFAULT_PAGE) throw new Error(`${what} listed ${runs.length} runs, expected a full page of ${DEFAULT_PAGE} (too few matching runs in the log? raise --listing-runs)`);
  const stray = runs.find((run) => !query.matches(run));
  if (stray !== undefined) throw new Error(`${what} listed ${stray.runId} (${stray.kind}, ${stray.status}), which does not match`);
  if (!/rel="next"/.test(response.headers.get('link') ?? '')) throw new Error(`${what} answered no Link rel="next" on a log with more runs`);
}
