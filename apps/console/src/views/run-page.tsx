import { useState } from 'preact/hooks';
import { durationOf } from '../run-tree.js';
import { useTreeFeed } from '../tree-feed.js';
import { ActionDialog, type RunAction } from './action-dialog.js';
import { JournalView } from './journal-view.js';
import { StatusBadge } from './status-badge.js';
import { TreeView } from './tree-view.js';

export type RunTab = 'tree' | 'journal';

/** One run: its tree (live) or its journal, and the actions on it. */
export function RunPage({ runId, tab }: { runId: string; tab: RunTab }) {
  const feed = useTreeFeed(runId);
  const [action, setAction] = useState<RunAction>();
  const [notice, setNotice] = useState<string>();
  const run = feed.tree.run(runId);
  const running = run?.status === 'running';
  const link = (to: RunTab) => `#/runs/${encodeURIComponent(runId)}${to === 'journal' ? '/journal' : ''}`;

  return (
    <main>
      <nav aria-label="Breadcrumb">
        <a href="#/">Runs</a> › <span>{runId}</span>
      </nav>
      <header class="run-header">
        <h1>
          Run <code>{runId}</code>
        </h1>
        {run && (
          <p>
            <StatusBadge status={run.status} /> {run.kind} · {run.relation ? `${run.relation} on ${run.substrate} by ` : 'root'}
            {run.parentRunId && <a href={`#/runs/${encodeURIComponent(run.parentRunId)}`}>{run.parentRunId}</a>} · {durationOf(run, Date.now())} · created{' '}
            {new Date(run.createdAt).toLocaleString()}
          </p>
        )}
        <div class="buttons">
          <button type="button" class="danger" disabled={!running} onClick={() => setAction('cancel')}>
            Cancel tree…
          </button>
          <button type="button" disabled={!running} onClick={() => setAction('complete')}>
            Complete…
          </button>
          <button type="button" disabled={!running} onClick={() => setAction('fail')}>
            Fail…
          </button>
        </div>
      </header>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <div class="tabs" role="navigation" aria-label="Views of the run">
        <a href={link('tree')} aria-current={tab === 'tree' ? 'page' : undefined}>
          Tree
        </a>
        <a href={link('journal')} aria-current={tab === 'journal' ? 'page' : undefined}>
          Journal
        </a>
      </div>
      {tab === 'tree' ? <TreeView feed={feed} selectedRunId={runId} /> : <JournalView runId={runId} />}
      {action && (
        <ActionDialog
          runId={runId}
          action={action}
          onClose={() => setAction(undefined)}
          onDone={(message) => {
            setNotice(message);
            setAction(undefined);
          }}
        />
      )}
    </main>
  );
}
