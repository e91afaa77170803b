import type { ChildStatus, CollectResult, ListedRun, RunPage } from '@runtree/orchestration';
import { successBody, type RuntreeClient } from '../process/runtree-client.js';

/** Everything a client can read about the trees, to compare instances and a rebuild with. */
export interface PublicViews {
  /** Each root collected whole: descendants, steps, journal. */
  readonly trees: CollectResult[];
  /** GET /runs/:runId/status of every run of the trees, by run id. */
  readonly statuses: Record<string, ChildStatus>;
  /** GET /runs with every payload, all pages followed through Link rel="next". */
  readonly listing: ListedRun[];
  /** GET /runs?rootRunId= of each root, all pages: the run ids listed. */
  readonly byRoot: Record<string, string[]>;
}

const NEXT_LINK = /^<([^>]+)>; rel="next"$/;

/**
 * Every page of a listing, following each page's Link rel="next" (which must agree with its
 * nextCursor). Plain fetch: the Link header is part of what is checked.
 */
export async function listAllRuns(baseUrl: string, query: string): Promise<ListedRun[]> {
  const runs: ListedRun[] = [];
  for (let path: string | undefined = `/runs?${query}`; path !== undefined; ) {
    const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    const page = successBody<RunPage>({ status: response.status, body: await response.json() });
    runs.push(...page.runs);
    const link = response.headers.get('link');
    const next = link === null ? undefined : NEXT_LINK.exec(link)?.[1];
    if ((next === undefined) !== (page.nextCursor === undefined)) throw new Error(`${path}: Link ${link} and nextCursor ${page.nextCursor} disagree`);
    path = next;
  }
  return runs;
}

/** The run ids of a collected tree, the root first. */
export function runIdsOf(tree: CollectResult): string[] {
  return [tree.run.runId, ...(tree.descendants ?? []).map((child) => child.run.runId)];
}

/** The views of `roots` as the instance behind `client` (at `baseUrl`) answers them now. */
export async function publicViews(client: RuntreeClient, baseUrl: string, roots: readonly string[]): Promise<PublicViews> {
  const trees = await Promise.all(roots.map(async (root) => successBody<CollectResult>(await client.get(`/runs/${root}?includeDescendants=true`))));
  const statuses = Object.fromEntries(
    await Promise.all(trees.flatMap(runIdsOf).map(async (runId) => [runId, successBody<ChildStatus>(await client.get(`/runs/${runId}/status`))] as const)),
  );
  // Small pages, so that paging is part of it: a run listed twice or skipped across pages shows.
  const listing = await listAllRuns(baseUrl, 'limit=37&include=metadata,input,output');
  const byRoot = Object.fromEntries(
    await Promise.all(roots.map(async (root) => [root, (await listAllRuns(baseUrl, `rootRunId=${root}&limit=2`)).map((run) => run.runId)] as const)),
  );
  return { trees, statuses, listing, byRoot };
}
