import { comparePositions, type EventStore, type Position, type RecordedEvent } from '@runtree/event-store';
import { runtreeStreams } from '@runtree/orchestration';

const PAGE = 4096;

/** The store's whole log of Runtree events (as the service's projection filters them), page by page in commit order. */
export async function* wholeLog(store: EventStore): AsyncGenerator<RecordedEvent> {
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ fromPosition: from, maxCount: PAGE, filter: runtreeStreams });
    const last = from;
    // Forwards reads include `fromPosition`, which the previous page already gave.
    const fresh = last === 'start' ? page : page.filter((event) => comparePositions(event.position, last) > 0);
    yield* fresh;
    if (page.length < PAGE) return;
    from = page[page.length - 1].position;
  }
}
