import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { counted } from '../counted.js';
import { durationOf, type TreeRow } from '../run-tree.js';
import type { TreeFeedState } from '../tree-feed.js';
import { StatusBadge } from './status-badge.js';
import { ErrorNote } from './error-note.js';

const ROW_HEIGHT = 32;
const statuses = ['running', 'completed', 'failed', 'cancelled'] as const;
/** Rows drawn above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 15;

function TreeLine({ row, top, collapsed, selected, onToggle, now }: { row: TreeRow; top: number; collapsed: boolean; selected: boolean; onToggle: () => void; now: number }) {
  const { run } = row;
  return (
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={row.childCount > 0 ? !collapsed : undefined}
      aria-selected={selected}
      class={`tree-row${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span class="name" style={{ paddingLeft: `${row.depth * 1.25}rem` }}>
        {row.childCount > 0 ? (
          <button type="button" class="toggle" aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${run.runId}`} onClick={onToggle}>
            {collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span class="toggle" aria-hidden="true" />
        )}
        <a class="run-id" href={`#/runs/${encodeURIComponent(run.runId)}`}>
          {run.runId}
        </a>
      </span>
      <span class="kind">{run.kind}</span>
      <span class="lineage">{run.relation ? `${run.relation} on ${run.substrate}` : 'root'}</span>
      <StatusBadge status={run.status} />
      <span class="duration">{durationOf(run, now)}</span>
      <span class="children">{row.childCount > 0 ? `${row.childCount === 1 ? '1 child' : `${row.childCount} children`}, ${row.runningChildCount} running` : ''}</span>
    </div>
  );
}

/** The tree, collapsible, drawing only the rows in view: 10,000 runs scroll as smoothly as ten. */
export function TreeView({ feed, selectedRunId }: { feed: TreeFeedState; selectedRunId: string }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [now, setNow] = useState(Date.now());
  const viewport = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => feed.tree.rows(collapsed), [feed.version, feed.tree, collapsed]);

  useEffect(() => {
    const element = viewport.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    const ticker = setInterval(() => setNow(Date.now()), 1_000);
    return () => {
      observer.disconnect();
      clearInterval(ticker);
    };
  }, []);

  const toggle = (runId: string) =>
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (!next.delete(runId)) next.add(runId);
      return next;
    });
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const counts = feed.tree.countByStatus();

  return (
    <section aria-label="Run tree">
      <div class="toolbar">
        <p class="tree-summary" data-ready={feed.ready ? 'true' : 'false'}>
          {feed.ready ? counted(feed.tree.size, 'run') : `Loading… ${counted(feed.tree.size, 'run')} so far`}
          {feed.ready && ` (${statuses.map((status) => `${counts[status].toLocaleString('en')} ${status}`).join(', ')})`}
          {feed.loadMs !== undefined && <span class="muted"> · shown in {feed.loadMs} ms</span>}
        </p>
        <button type="button" onClick={() => setCollapsed(new Set())}>
          Expand all
        </button>
        <button type="button" onClick={() => setCollapsed(new Set(feed.tree.parents()))}>
          Collapse all
        </button>
      </div>
      <ErrorNote about="Tree feed" message={feed.error} />
      <div ref={viewport} class="tree" role="tree" aria-label="Runs of the tree" onScroll={(event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop)}>
        <div class="tree-canvas" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
          {rows.slice(first, last).map((row, index) => (
            <TreeLine
              key={row.run.runId}
              row={row}
              top={(first + index) * ROW_HEIGHT}
              collapsed={collapsed.has(row.run.runId)}
              selected={row.run.runId === selectedRunId}
              onToggle={() => toggle(row.run.runId)}
              now={now}
            />
          ))}
        </div>
      </div>
    </section>
  );
}
