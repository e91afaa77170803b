import { comparePositions, type Position } from '@runtree/event-store';

/** Whether `a` is at or after `b` ('start' is before every position). */
export function atOrAfter(a: Position | 'start', b: Position | 'start'): boolean {
  if (b === 'start') return true;
  return a !== 'start' && comparePositions(a, b) >= 0;
}

/** A checkpoint's position from its two columns (NULL: the start). */
export function positionOfColumns(commit: unknown, prepare: unknown): Position | 'start' {
  if (commit === null || commit === undefined) return 'start';
  return { commit: BigInt(commit as bigint | number | string), prepare: BigInt(prepare as bigint | number | string) };
}
