import { useEffect, useState } from 'preact/hooks';
import type { ListedRun } from '@runtree/orchestration';
import { ApiError, describeError, runPath } from './api.js';
import { readEventStream } from './event-stream.js';
import { RunTree } from './run-tree.js';

export interface TreeFeedState {
  readonly tree: RunTree;
  /** Changes on every applied batch of runs, so views redraw. */
  readonly version: number;
  /** The whole tree has arrived (the feed's `ready`). */
  readonly ready: boolean;
  /** Milliseconds from opening the feed to the whole tree drawn once. */
  readonly loadMs?: number;
  readonly error?: string;
}

const RECONNECT_MS = 1_000;

/**
 * The run's tree, live, from `GET /runs/:id/tree`: the runs it sends are applied at most once a
 * frame, so a tree of 10,000 runs arrives in a few redraws. A cut feed is read again after a second.
 */
export function useTreeFeed(runId: string): TreeFeedState {
  const [state, setState] = useState<TreeFeedState>(() => ({ tree: new RunTree(), version: 0, ready: false }));
  useEffect(() => {
    const stopper = new AbortController();
    let frame = 0;
    const follow = async (): Promise<void> => {
      while (!stopper.signal.aborted) {
        const tree = new RunTree();
        const started = performance.now();
        let ready = false;
        let loadMs: number | undefined;
        const redraw = () => {
          frame = 0;
          setState((previous) => ({ tree, version: previous.version + 1, ready, ...(loadMs === undefined ? {} : { loadMs }) }));
        };
        const scheduleRedraw = () => {
          if (frame === 0) frame = requestAnimationFrame(redraw);
        };
        try {
          await readEventStream(runPath(runId, '/tree'), stopper.signal, ({ event, data }) => {
            if (event === 'run') tree.upsert(JSON.parse(data) as ListedRun);
            else if (event === 'ready') {
              ready = true;
              loadMs = Math.round(performance.now() - started);
            }
            scheduleRedraw();
          });
        } catch (error) {
          if (stopper.signal.aborted) return;
          setState((previous) => ({ ...previous, error: describeError(error) }));
          if (error instanceof ApiError && error.status < 500 && error.status !== 429) return;
        }
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
      }
    };
    void follow();
    return () => {
      stopper.abort();
      cancelAnimationFrame(frame);
    };
  }, [runId]);
  return state;
}
