import { existsSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { Orchestrator } from '@runtree/orchestration';
import { UsageError } from './cli-error.js';
import { endOf, journalEventOf, lineOf, readJournalFile, type Journal, type JournalLine } from './journal-file.js';
import { orNotFound } from './live-store.js';

/** The run's journal (with `tree`, its whole tree's, merged in commit order) as journal lines, from the store. */
export async function exportedLines(orchestrator: Orchestrator, runId: string, tree: boolean): Promise<JournalLine[]> {
  const collected = await orNotFound(runId, orchestrator.collect(runId, { includeJournal: true, includeDescendants: tree, includeSteps: false }));
  return (collected.journal ?? []).map(lineOf);
}

/** The journal a store export would write, held in memory. */
export async function journalFromStore(orchestrator: Orchestrator, runId: string, tree: boolean): Promise<Journal> {
  const lines = await exportedLines(orchestrator, runId, tree);
  return { source: `store:${runId}`, events: lines.map((line, index) => journalEventOf(line, index + 1)), end: endOf(lines, runId, tree), malformed: [] };
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
