import type { Orchestrator } from '@runtree/orchestration';
import { endOf, journalEventOf, lineOf, type Journal, type JournalLine } from './journal-file.js';

/** The run's journal (with `tree`, its whole tree's, merged in commit order) as the lines of an export. */
export async function exportedLines(orchestrator: Orchestrator, runId: string, tree: boolean): Promise<JournalLine[]> {
  const collected = await orchestrator.collect(runId, { includeJournal: true, includeDescendants: tree, includeSteps: false });
  return (collected.journal ?? []).map(lineOf);
}

/** The journal an export of these lines would write, held in memory. */
export function journalOfLines(lines: readonly JournalLine[], runId: string, tree: boolean): Journal {
  return { source: `store:${runId}`, events: lines.map((line, index) => journalEventOf(line, index + 1)), end: endOf(lines, runId, tree), malformed: [] };
}
