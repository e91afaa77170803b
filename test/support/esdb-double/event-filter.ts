// Server-side $all filters: by stream name or event type, with prefixes or a regex; plus the
// checkpoint interval a filtered subscription derives from the search window and the multiplier.
import type { StoredEvent } from './model.js';
import type { StreamsPb } from './protocol.js';

type FilterOptions = StreamsPb.ReadReq.Options.FilterOptions;

const FILTER_CASE = { STREAM_IDENTIFIER: 1, EVENT_TYPE: 2 } as const;
const WINDOW_CASE = { MAX: 3 } as const;
/** The server's read batch size, also its default search window. */
const DEFAULT_SEARCH_WINDOW = 32;

export type EventPredicate = (record: StoredEvent) => boolean;

const acceptAll: EventPredicate = () => true;

export function eventPredicateOf(options: FilterOptions | undefined): EventPredicate {
  if (!options) return acceptAll;
  const byStream = options.getFilterCase() === FILTER_CASE.STREAM_IDENTIFIER;
  const expression = byStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) return acceptAll;
  const field = (record: StoredEvent) => (byStream ? record.streamName : record.type);
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (record) => pattern.test(field(record));
  }
  const prefixes = expression.getPrefixList();
  return (record) => prefixes.some((prefix) => field(record).startsWith(prefix));
}

/** Events read (matching or not) between two checkpoints of a filtered subscription. */
export function checkpointIntervalOf(options: FilterOptions): number {
  const window = options.getWindowCase() === WINDOW_CASE.MAX ? options.getMax() : DEFAULT_SEARCH_WINDOW;
  return window * options.getCheckpointintervalmultiplier();
}

