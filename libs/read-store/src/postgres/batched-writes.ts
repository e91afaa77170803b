import type pg from 'pg';
import type { ProjectionCommit } from '../port/changes.js';
import { numbered } from '../sql/dialect.js';
import { toJsonColumn } from '../sql/json-columns.js';
import type { TableSet } from '../port/read-store.js';
import { tableNames } from '../sql/tables.js';
import { linkParams, runParams, sessionParams, stepParams, threadParams } from '../sql/write-params.js';
import { writeStatements, type RowsStatement } from '../sql/write-statements.js';

/** Below PostgreSQL's limit of 65,535 parameters per statement. */
const MAX_PARAMETERS = 60_000;

type Client = Pick<pg.ClientBase, 'query'>;

/** Rows written a statement per chunk, not a round trip per row. */
async function insertRows(client: Client, statement: RowsStatement, rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / rows[0].length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const sql = `${statement.head} ${chunk.map(() => statement.row).join(', ')} ${statement.tail}`;
    await client.query(numbered(sql), chunk.flat());
  }
}

/** The changes of one batch, a statement (or a few) per kind of row. */
export async function writeChangesBatched(client: Client, set: TableSet, { changes, journalId }: ProjectionCommit): Promise<void> {
  const names = tableNames(set);
  const sql = writeStatements(set);
  await insertRows(client, sql.upsertRun, [...changes.runs, ...changes.runCounters].map(runParams));
  await insertRows(client, sql.insertRunPayload, changes.runPayloads.map((row) => [row.runId, toJsonColumn(row.metadata), toJsonColumn(row.input)]));
  await insertRows(client, sql.insertRunOutcome, changes.runOutcomes.map((row) => [row.runId, toJsonColumn(row.outcome)]));
  await insertRows(client, sql.upsertLink, changes.links.map(linkParams));
  if (changes.attachedLinks.length > 0) {
    const links = changes.attachedLinks;
    await client.query(
      `UPDATE ${names.links} AS l SET visible = 1, child_session_id = a.session_id, child_thread_id = a.thread_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS a(parent_run_id, child_run_id, session_id, thread_id)
       WHERE l.parent_run_id = a.parent_run_id AND l.child_run_id = a.child_run_id`,
      [links.map((link) => link.parentRunId), links.map((link) => link.childRunId), links.map((link) => link.childSessionId ?? null), links.map((link) => link.childThreadId ?? null)],
    );
  }
  await insertRows(client, sql.insertStep, changes.steps.map(stepParams));
  if (changes.finishedSteps.length > 0) {
    const steps = changes.finishedSteps;
    await client.query(
      `UPDATE ${names.steps} AS s SET status = a.status, updated_at = a.updated_at, output = a.output, error = a.error
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS a(run_id, step_id, status, updated_at, output, error)
       WHERE s.run_id = a.run_id AND s.step_id = a.step_id`,
      [
        steps.map((step) => step.runId),
        steps.map((step) => step.stepId),
        steps.map((step) => step.status),
        steps.map((step) => step.updatedAt),
        steps.map((step) => toJsonColumn(step.output)),
        steps.map((step) => toJsonColumn(step.error)),
      ],
    );
  }
  await insertRows(client, sql.upsertSession, changes.sessions.map(sessionParams));
  if (changes.closedSessions.length > 0) {
    await client.query(`UPDATE ${names.sessions} SET status = 'closed' WHERE session_id = ANY($1::text[]) AND status = 'open'`, [changes.closedSessions]);
  }
  await insertRows(client, sql.upsertThread, changes.threads.map(threadParams));
  if (changes.closedThreads.length > 0) {
    await client.query(`UPDATE ${names.threads} SET status = 'closed' WHERE thread_id = ANY($1::text[]) AND status = 'open'`, [changes.closedThreads]);
  }
  if (journalId !== undefined) {
    await client.query("INSERT INTO read_store_meta (key, value) VALUES ('journal_id', $1) ON CONFLICT (key) DO NOTHING", [journalId]);
  }
}
