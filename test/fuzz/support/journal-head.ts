import { positionToString, type EventStore } from '@runtree/event-store';
import { streamPrefixes } from '../../../libs/orchestration/src/streams/stream-names.js';

/**
 * Where the journal's last run, session or thread event sits (`none` before the first): equal
 * before and after a request means the request appended nothing. Other streams (the event
 * publisher's checkpoint) move on their own and are left out.
 */
export async function journalHead(store: EventStore): Promise<string> {
  const [last] = await store.readAll({ direction: 'backwards', maxCount: 1, filter: { streamNamePrefixes: Object.values(streamPrefixes) } });
  return last === undefined ? 'none' : `${positionToString(last.position)} ${last.streamName}@${last.revision}`;
}
