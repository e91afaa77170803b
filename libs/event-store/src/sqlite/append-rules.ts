import { WrongExpectedRevisionError } from '../port/errors.js';
import type { ExpectedRevision } from '../port/types.js';

/** Throws unless the stream's current revision satisfies the writer's expectation. */
export function checkExpectedRevision(streamName: string, expected: ExpectedRevision, current: bigint | 'no_stream'): void {
  const satisfied =
    expected === 'any' ||
    (expected === 'no_stream' && current === 'no_stream') ||
    (expected === 'stream_exists' && current !== 'no_stream') ||
    expected === current;
  if (!satisfied) throw new WrongExpectedRevisionError(streamName, expected, current);
}

export interface RetryCheck {
  readonly streamName: string;
  readonly expected: ExpectedRevision;
  readonly current: bigint | 'no_stream';
  /** First revision of the stream's current life: where a `no_stream` append started. */
  readonly lifeStart: bigint;
  /** The ids of the append, in order. */
  readonly ids: readonly string[];
  /** Revision of each of those ids the stream already holds. */
  readonly known: ReadonlyMap<string, bigint>;
  /** Ids stored at `first … first+count-1`, in revision order. */
  readonly storedIds: (first: bigint, count: number) => readonly string[];
}

/**
 * Decides whether an append repeats one already written (README, "Idempotent retry").
 * Returns the revision of the repeated batch's first event, `undefined` when no id is known,
 * and throws `WrongExpectedRevisionError` for a partial match or another expected revision.
 */
export function findRepeatedBatch(check: RetryCheck): bigint | undefined {
  const { streamName, expected, current, ids, known } = check;
  if (known.size === 0) return undefined;
  const conflict = new WrongExpectedRevisionError(streamName, expected, current);
  const first = known.get(ids[0]);
  if (first === undefined) throw conflict;
  const stored = check.storedIds(first, ids.length);
  const sameIdsInOrder = stored.length === ids.length && stored.every((id, index) => id === ids[index]);
  if (!sameIdsInOrder) throw conflict;
  if (expected === 'any' || expected === 'stream_exists') return first;
  const expectedFirst = expected === 'no_stream' ? check.lifeStart : expected + 1n;
  if (first !== expectedFirst) throw conflict;
  return first;
}
