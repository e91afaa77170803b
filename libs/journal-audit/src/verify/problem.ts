import type { JournalEvent } from '../journal-file.js';

/** One thing that does not hold, named where it is: `run-x@3`, a stream, or a line of the file. */
export interface Problem {
  readonly where: string;
  readonly message: string;
  /** For reporting in file order. */
  readonly lineNumber: number;
}

export function eventName(event: JournalEvent): string {
  return `${event.line.stream}@${event.line.revision}`;
}

export function problemAt(event: JournalEvent, message: string): Problem {
  return { where: eventName(event), message, lineNumber: event.lineNumber };
}

export function formatProblem(problem: Problem): string {
  return `${problem.where}: ${problem.message}`;
}
