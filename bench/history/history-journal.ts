import { randomUUID } from 'node:crypto';
import { AgentTrees, steppingClock, type TreeShape } from './agent-trees.js';
import { fillJournal, type FilledJournal, type JournalSize } from './journal-filler.js';

/**
 * Agent work as it piles up: a root (the agent, one step) with 4 tool-call children; 1 tree in 50
 * still running, 1 child in 20 failed, the rest completed. About 3.2 events per run.
 */
export const HISTORY_SHAPE: TreeShape = { childrenPerRoot: 4, stepsPerRoot: 1, stepsPerChild: 0, runningEvery: 50, failedEvery: 20 };
/** The history spreads over the past week, 100 ms between commands, not over the seconds it takes to write. */
const HISTORY_SPAN_MS = 7 * 24 * 3600 * 1000;
const COMMAND_INTERVAL_MS = 100;

/** One journal that the start-up figures restart on and the listing figures then grow and list. */
export class HistoryJournal {
  private written: JournalSize = { runs: 0, events: 0 };
  private broken = false;
  private readonly trees = new AgentTrees(HISTORY_SHAPE, { newId: randomUUID, clock: steppingClock(new Date(Date.now() - HISTORY_SPAN_MS), COMMAND_INTERVAL_MS) });

  constructor(readonly path: string) {}

  get size(): JournalSize {
    return this.written;
  }

  /** False once a fill failed: how much of it was committed is unknown. */
  get usable(): boolean {
    return !this.broken;
  }

  /** Appends trees until the journal holds `enough`; no service may have it open meanwhile. Returns what was added. */
  grow(enough: (size: JournalSize) => boolean, progress: (size: JournalSize) => void): FilledJournal {
    if (this.broken) throw new Error('an earlier fill of this journal failed');
    const base = this.written;
    const total = (added: JournalSize) => ({ runs: base.runs + added.runs, events: base.events + added.events });
    try {
      const added = fillJournal(this.path, this.trees, (written) => enough(total(written)), (written) => progress(total(written)));
      this.written = total(added);
      return added;
    } catch (error) {
      this.broken = true;
      throw error;
    }
  }
}
