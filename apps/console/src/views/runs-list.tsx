import { useEffect, useState } from 'preact/hooks';
import type { RunPage } from '@runtree/orchestration';
import { describeError, getJson } from '../api.js';
import { StatusBadge } from './status-badge.js';
import { ErrorNote } from './error-note.js';
import { TableHead } from './table-head.js';

const PAGE = 50;
const textFilters = [
  ['kind', 'Kind'],
  ['rootRunId', 'Root run'],
  ['sessionId', 'Session'],
] as const;

type Filters = Record<'status' | 'kind' | 'rootRunId' | 'sessionId' | 'createdAfter' | 'createdBefore', string>;
const noFilters: Filters = { status: '', kind: '', rootRunId: '', sessionId: '', createdAfter: '', createdBefore: '' };

/** The listing's query: the filters set (times as ISO-8601), the page size, the cursor. */
function queryOf(filters: Filters, cursor: string | undefined): string {
  const query = new URLSearchParams({ limit: String(PAGE) });
  for (const [key, value] of Object.entries(filters)) {
    if (value === '') continue;
    query.set(key, key.startsWith('created') ? new Date(value).toISOString() : value);
  }
  if (cursor !== undefined) query.set('cursor', cursor);
  return query.toString();
}

/** Runs newest first, filtered, a page at a time; and a run found by its id. */
export function RunsList() {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<RunPage>();
  const [error, setError] = useState<string>();
  const [findId, setFindId] = useState('');
  const cursor = cursors.at(-1);

  useEffect(() => {
    getJson<RunPage>(`/runs?${queryOf(filters, cursor)}`)
      .then((loaded) => {
        setPage(loaded);
        setError(undefined);
      })
      .catch((caught) => setError(describeError(caught)));
  }, [filters, cursor]);

  const field = (key: keyof Filters) => ({
    value: draft[key],
    onInput: (event: Event) => setDraft({ ...draft, [key]: (event.currentTarget as HTMLInputElement).value }),
  });

  return (
    <main>
      <h1>Runs</h1>
      <form
        class="find"
        onSubmit={(event) => {
          event.preventDefault();
          if (findId.trim() !== '') location.hash = `#/runs/${encodeURIComponent(findId.trim())}`;
        }}
      >
        <label>
          Find a run by id <input value={findId} onInput={(event) => setFindId((event.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Open</button>
      </form>
      <form
        class="filters"
        aria-label="Filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
          setCursors([undefined]);
        }}
      >
        <label>
          Status
          <select {...field('status')}>
            <option value="">any</option>
            {['running', 'completed', 'failed', 'cancelled'].map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        {textFilters.map(([key, label]) => (
          <label key={key}>
            {label} <input {...field(key)} />
          </label>
        ))}
        <label>
          Created after <input type="datetime-local" step="1" {...field('createdAfter')} />
        </label>
        <label>
          Created before <input type="datetime-local" step="1" {...field('createdBefore')} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote message={error} />
      <table class="runs">
        <TableHead columns={['Run', 'Kind', 'Status', 'Created', 'Parent']} />
        <tbody>
          {page?.runs.map((run) => (
            <tr key={run.runId}>
              <td>
                <a href={`#/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</a>
              </td>
              <td>{run.kind}</td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td>
                <time dateTime={run.createdAt}>{new Date(run.createdAt).toLocaleString()}</time>
              </td>
              <td>{run.parentRunId ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page?.runs.length === 0 && <p>No runs match.</p>}
      <div class="buttons">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={page?.nextCursor === undefined} onClick={() => setCursors([...cursors, page?.nextCursor])}>
          Next page
        </button>
      </div>
    </main>
  );
}
