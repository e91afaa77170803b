import { comparePositions } from '@runtree/event-store';
import type { JournalEvent } from '../journal-file.js';
import { problemAt, type Problem } from './problem.js';

function missing(from: bigint, to: bigint): string {
  return from === to ? `revision ${from} is missing` : `revisions ${from}-${to} are missing`;
}

/** Each stream's revisions run 0, 1, 2, ... without gaps or repeats, and the file is in commit order. */
export function checkRevisions(events: readonly JournalEvent[]): Problem[] {
  const problems: Problem[] = [];
  const lastRevision = new Map<string, bigint>();
  let before: JournalEvent | undefined;
  for (const event of events) {
    const { streamName, revision, position } = event.recorded;
    const last = lastRevision.get(streamName);
    const expected = last === undefined ? 0n : last + 1n;
    if (revision > expected) problems.push(problemAt(event, `${missing(expected, revision - 1n)} before it`));
    else if (revision < expected) problems.push(problemAt(event, `comes after revision ${last} of its stream (moved or repeated)`));
    if (last === undefined || revision > last) lastRevision.set(streamName, revision);
    if (before !== undefined && comparePositions(before.recorded.position, position) >= 0) {
      problems.push(problemAt(event, `position ${event.line.position} is not after ${before.line.position} of the line before (out of commit order)`));
    }
    before = event;
  }
  return problems;
}
