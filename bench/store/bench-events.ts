import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../libs/event-store/src/port/types.js';

/** `count` events for `streamName` whose JSON data is about `dataBytes` long, like a recorded agent step. */
export function makeEvents(streamName: string, count: number, dataBytes: number): EventToAppend[] {
  const events: EventToAppend[] = [];
  for (let sequence = 0; sequence < count; sequence += 1) {
    const data = { streamName, sequence, note: '' };
    data.note = 'x'.repeat(Math.max(0, dataBytes - JSON.stringify(data).length));
    events.push({ id: randomUUID(), type: 'BenchStepRecorded', data });
  }
  return events;
}

/** Splits `items` into groups of at most `size` (one group per append call). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
