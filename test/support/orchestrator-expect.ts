import { expect } from '@jest/globals';
import { comparePositions, positionFromString } from '@runtree/event-store';
import { OrchestratorError, type ErrorCode, type JournalEntry } from '@runtree/orchestration';

/**
 * Awaits `action` and checks it rejected with an `OrchestratorError` of this code, a readable message,
 * and (when given) these details. Returns the error for further checks.
 */
export async function expectOrchestratorError(
  action: Promise<unknown>,
  code: ErrorCode,
  details?: Record<string, unknown>,
): Promise<OrchestratorError> {
  const outcome = await action.then(
    (value) => ({ rejected: false as const, value }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) {
    throw new Error(`expected a rejection with code ${code}, but it resolved with ${JSON.stringify(outcome.value)}`);
  }
  const { error } = outcome;
  expect(error).toBeInstanceOf(OrchestratorError);
  const orchestratorError = error as OrchestratorError;
  expect({ code: orchestratorError.code, details: orchestratorError.details }).toMatchObject({
    code,
    ...(details ? { details } : {}),
  });
  expect(typeof orchestratorError.message).toBe('string');
  expect(orchestratorError.message.length).toBeGreaterThan(0);
  return orchestratorError;
}

/** Like `expectOrchestratorError`, for a spec point that allows one of several codes. */
export async function expectOrchestratorErrorOneOf(action: Promise<unknown>, codes: readonly ErrorCode[]): Promise<OrchestratorError> {
  const error = await action.then(
    (value) => {
      throw new Error(`expected a rejection with one of ${codes.join(', ')}, but it resolved with ${JSON.stringify(value)}`);
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(OrchestratorError);
  expect(codes).toContain((error as OrchestratorError).code);
  return error as OrchestratorError;
}

/** Orders two journal positions (`commit/prepare`) as the global log does. */
export function compareJournalPositions(a: string, b: string): number {
  return comparePositions(positionFromString(a), positionFromString(b));
}

/** Every entry's position is strictly after the previous one's. */
export function expectPositionsIncreasing(journal: readonly JournalEntry[]): void {
  for (let index = 1; index < journal.length; index++) {
    const previous = journal[index - 1];
    const current = journal[index];
    if (compareJournalPositions(previous.position, current.position) >= 0) {
      throw new Error(
        `journal out of commit order at ${index}: ${previous.type}@${previous.position} (${previous.streamName}) ` +
          `then ${current.type}@${current.position} (${current.streamName})`,
      );
    }
  }
}

/** The entries of one stream, in journal order. */
export function entriesOfStream(journal: readonly JournalEntry[], streamName: string): JournalEntry[] {
  return journal.filter((entry) => entry.streamName === streamName);
}

export function entriesOfType(journal: readonly JournalEntry[], type: string): JournalEntry[] {
  return journal.filter((entry) => entry.type === type);
}

/** The one entry of this type in this stream; fails when there is none or more than one. */
export function onlyEntry(journal: readonly JournalEntry[], streamName: string, type: string): JournalEntry {
  const found = journal.filter((entry) => entry.streamName === streamName && entry.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type} in ${streamName}, found ${found.length}`);
  return found[0];
}

export const runStreamName = (runId: string): string => `run-${runId}`;

/** Resolves after `ms` milliseconds. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A value of the wrong shape, passed where the API's types would refuse it (as a JavaScript or bus caller can). */
export function malformed<T>(value: unknown): T {
  return value as T;
}
