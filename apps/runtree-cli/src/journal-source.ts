import { existsSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { Orchestrator } from '@runtree/orchestration';
import { exportedLines, journalOfLines, readJournalFile, type Journal, type JournalLine } from '@runtree/journal-audit';
import { UsageError } from './cli-error.js';
import { orNotFound } from './live-store.js';

/** The run's journal lines from the store; an unknown run is a usage error. */
export function storedLines(orchestrator: Orchestrator, runId: string, tree: boolean): Promise<JournalLine[]> {
  return orNotFound(runId, exportedLines(orchestrator, runId, tree));
}

/** The journal a store export would write, held in memory. */
export async function journalFromStore(orchestrator: Orchestrator, runId: string, tree: boolean): Promise<Journal> {
  return journalOfLines(await storedLines(orchestrator, runId, tree), runId, tree);
}

/** A file when one is there, or when the argument looks like a path (so a missing file is reported as such); else a run id. */
export function isJournalFile(argument: string): boolean {
  if (existsSync(argument)) return statSync(argument).isFile();
  return argument.includes(sep) || /\.(nd)?jsonl?$/.test(argument);
}

export async function journalFromFile(path: string): Promise<Journal> {
  try {
    return await readJournalFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
