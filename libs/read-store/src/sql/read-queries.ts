import type { ListedRun, RunListPage, RunListQuery } from '../port/list-query.js';
import type { OwnedOpenSession, PendingLinkRef, ReadStoreDump } from '../port/read-store.js';
import type { ChildRecord, JsonObject, RunRecord, RunRow, SessionRow, StepRow, ThreadRow, TreeShape } from '../port/rows.js';
import type { Dialect } from './dialect.js';
import { buildQueries, listRunsQuery, type Queries } from './queries.js';
import { linkRowOf, runRecordOf, runRowOf, sessionRowOf, stepRowOf, threadRowOf, type DbRow } from './row-mapping.js';

function childRecordOf(row: DbRow): ChildRecord {
  const child: { link: ChildRecord['link']; run: RunRecord; thread?: ThreadRow } = { link: linkRowOf(row, 'l_'), run: runRecordOf(row) };
  if (row.t_thread_id !== null && row.t_thread_id !== undefined) child.thread = threadRowOf(row, 't_');
  return child;
}

/** Depth-first pre-order from the children lists, siblings by link sequence. */
function preOrder(rootRunId: string, records: readonly ChildRecord[]): ChildRecord[] {
  const byParent = new Map<string, ChildRecord[]>();
  for (const record of records) {
    const siblings = byParent.get(record.link.parentRunId);
    if (siblings) siblings.push(record);
    else byParent.set(record.link.parentRunId, [record]);
  }
  for (const siblings of byParent.values()) {
    siblings.sort((a, b) => a.link.sequence - b.link.sequence || (a.run.runId < b.run.runId ? -1 : a.run.runId > b.run.runId ? 1 : 0));
  }
  const order: ChildRecord[] = [];
  const stack = [...(byParent.get(rootRunId) ?? [])].reverse();
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    order.push(next);
    const children = byParent.get(next.run.runId) ?? [];
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
  }
  return order;
}

/** The queries of the read side, written once for both databases: an adapter says how to run one. */
export abstract class ReadQueries {
  private readonly queries: Queries;

  constructor(dialect: Dialect) {
    this.queries = buildQueries(dialect);
  }

  /** Runs a query with `?` placeholders and gives its rows. */
  protected abstract all(sql: string, params: readonly unknown[]): Promise<DbRow[]>;

  async run(runId: string): Promise<RunRecord | undefined> {
    const [row] = await this.all(this.queries.runRecord, [runId]);
    return row === undefined ? undefined : runRecordOf(row);
  }

  async runCore(runId: string): Promise<RunRow | undefined> {
    const [row] = await this.all(this.queries.runCore, [runId]);
    return row === undefined ? undefined : runRowOf(row);
  }

  async runWithMetadata(runId: string): Promise<(RunRow & { readonly metadata: JsonObject }) | undefined> {
    const [row] = await this.all(this.queries.runWithMetadata, [runId]);
    return row === undefined ? undefined : runRecordOf(row);
  }

  async child(childRunId: string): Promise<ChildRecord | undefined> {
    const [row] = await this.all(this.queries.child, [childRunId]);
    return row === undefined ? undefined : childRecordOf(row);
  }

  async children(parentRunId: string): Promise<ChildRecord[]> {
    return (await this.all(this.queries.children, [parentRunId])).map(childRecordOf);
  }

  async descendants(runId: string): Promise<ChildRecord[]> {
    return preOrder(runId, (await this.all(this.queries.descendants, [runId])).map(childRecordOf));
  }

  async descendantIds(runId: string, limit: number): Promise<string[]> {
    return (await this.all(this.queries.descendantIds, [runId, limit])).map((row) => String(row.child_run_id));
  }

  async step(runId: string, stepId: string): Promise<StepRow | undefined> {
    const [row] = await this.all(this.queries.step, [runId, stepId]);
    return row === undefined ? undefined : stepRowOf(row);
  }

  async steps(runId: string): Promise<StepRow[]> {
    return (await this.all(this.queries.steps, [runId])).map(stepRowOf);
  }

  async session(sessionId: string): Promise<SessionRow | undefined> {
    const [row] = await this.all(this.queries.session, [sessionId]);
    return row === undefined ? undefined : sessionRowOf(row);
  }

  async thread(threadId: string): Promise<ThreadRow | undefined> {
    const [row] = await this.all(this.queries.thread, [threadId]);
    return row === undefined ? undefined : threadRowOf(row);
  }

  async treeShape(parentRunId: string): Promise<TreeShape | undefined> {
    const [parent] = await this.all(this.queries.parentShape, [parentRunId]);
    if (parent === undefined) return undefined;
    const rootRunId = String(parent.root_run_id);
    const [root] = await this.all(this.queries.rootShape, [rootRunId]);
    return {
      rootRunId,
      parentDepth: Number(parent.depth),
      parentChildCount: Number(parent.child_count) + Number(parent.pending_children),
      runningDescendantsOfRoot: root === undefined ? 0 : Number(root.running_descendants) + Number(root.pending_descendants),
    };
  }

  async listRuns(query: RunListQuery): Promise<RunListPage> {
    const { sql, params } = listRunsQuery(query);
    const rows = await this.all(sql, params);
    const more = rows.length > query.limit;
    const runs = rows.slice(0, query.limit).map((row): ListedRun => {
      const { metadata, ...record } = runRecordOf(row);
      return { ...record, ...(query.include.metadata ? { metadata } : {}) };
    });
    return { runs, more };
  }

  async pendingLinks(): Promise<PendingLinkRef[]> {
    return (await this.all(this.queries.pendingLinks, [])).map((row) => ({ parentRunId: String(row.parent_run_id), childRunId: String(row.child_run_id) }));
  }

  async cancellingRuns(): Promise<string[]> {
    return (await this.all(this.queries.cancellingRuns, [])).map((row) => String(row.run_id));
  }

  async cancelledOwnersWithOpenSession(): Promise<OwnedOpenSession[]> {
    return (await this.all(this.queries.cancelledOwnersWithOpenSession, [])).map((row) => ({ runId: String(row.owner_run_id), sessionId: String(row.session_id) }));
  }

  async dump(): Promise<ReadStoreDump> {
    const [runs, order, links, steps, sessions, threads] = await Promise.all([
      this.all(this.queries.dumpRuns, []),
      this.all(this.queries.dumpListingOrder, []),
      this.all(this.queries.dumpLinks, []),
      this.all(this.queries.dumpSteps, []),
      this.all(this.queries.dumpSessions, []),
      this.all(this.queries.dumpThreads, []),
    ]);
    return {
      runs: runs.map(runRecordOf),
      listingOrder: order.map((row) => String(row.run_id)),
      links: links.map((row) => linkRowOf(row)),
      steps: steps.map(stepRowOf),
      sessions: sessions.map(sessionRowOf),
      threads: threads.map((row) => threadRowOf(row)),
    };
  }
}
