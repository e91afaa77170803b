import { useEffect, useState } from 'preact/hooks';
import type { JournalEntry } from '@runtree/orchestration';
import { describeError, getJson, nextLinkOf, request, runPath } from '../api.js';
import { counted } from '../counted.js';
import { ErrorNote } from './error-note.js';
import { TableHead } from './table-head.js';

const PAGE = 200;

interface Verification {
  readonly ok: boolean;
  readonly eventCount: number;
  readonly streamCount: number;
  readonly problems: readonly { where: string; message: string }[];
}

function VerificationPanel({ verification, error }: { verification?: Verification; error?: string }) {
  if (error) return <ErrorNote about="Verification" message={error} />;
  if (verification === undefined) return <p role="status" class="verification">Verifying the hash chain…</p>;
  const size = `${counted(verification.eventCount, 'event')} in ${counted(verification.streamCount, 'stream')}`;
  if (verification.ok) {
    return (
      <p role="status" class="verification ok">
        ✓ Verified: {size}; codecs, hash chains, revisions, lineage and the end record hold
      </p>
    );
  }
  return (
    <div role="status" class="verification failed">
      <p>
        ✗ Verification failed: {counted(verification.problems.length, 'problem')}; {size}
      </p>
      <ul>
        {verification.problems.map((problem) => (
          <li key={`${problem.where} ${problem.message}`}>
            <code>{problem.where}</code>: {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Saves a response as a file, through an object URL: the export needs the bearer token, so no plain link. */
async function download(path: string, fileName: string): Promise<void> {
  const blob = await (await request(path)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The run's events, a page at a time, with the verification of their hash chain and the export. */
export function JournalView({ runId }: { runId: string }) {
  const [tree, setTree] = useState(false);
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [next, setNext] = useState<string>();
  const [verification, setVerification] = useState<Verification>();
  const [error, setError] = useState<string>();
  const [verifyError, setVerifyError] = useState<string>();

  const load = async (path: string, append: boolean) => {
    try {
      const response = await request(path);
      const page = (await response.text())
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as JournalEntry);
      setEntries((previous) => (append ? [...previous, ...page] : page));
      setNext(nextLinkOf(response));
      setError(undefined);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  const verify = async () => {
    setVerification(undefined);
    setVerifyError(undefined);
    try {
      setVerification(await getJson<Verification>(runPath(runId, `/journal/verification?tree=${tree}`)));
    } catch (caught) {
      setVerifyError(describeError(caught));
    }
  };
  useEffect(() => {
    void load(runPath(runId, `/journal?limit=${PAGE}${tree ? '&descendants=true' : ''}`), false);
    void verify();
  }, [runId, tree]);

  return (
    <section aria-label="Journal">
      <div class="toolbar">
        <label class="inline">
          <input type="checkbox" checked={tree} onChange={(event) => setTree((event.currentTarget as HTMLInputElement).checked)} /> The whole tree's journal
        </label>
        <button type="button" onClick={() => void verify()}>
          Verify again
        </button>
        <button type="button" onClick={() => download(runPath(runId, `/journal/export?tree=${tree}`), `${runId}${tree ? '-tree' : ''}.ndjson`).catch((caught) => setError(describeError(caught)))}>
          Download the export (for runtree journal verify)
        </button>
      </div>
      <VerificationPanel verification={verification} error={verifyError} />
      <ErrorNote message={error} />
      <table class="journal">
        <TableHead columns={['Position', 'Stream @ revision', 'Type', 'Time', 'Data']} />
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.eventId}>
              <td>{entry.position}</td>
              <td>
                {entry.streamName}@{entry.revision}
              </td>
              <td>{entry.type}</td>
              <td>
                <time dateTime={entry.created}>{new Date(entry.created).toLocaleString()}</time>
              </td>
              <td>
                <details>
                  <summary>Show data</summary>
                  <pre>{JSON.stringify({ data: entry.data, metadata: entry.metadata }, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <button type="button" onClick={() => void load(next, true)}>
          More events
        </button>
      )}
    </section>
  );
}
