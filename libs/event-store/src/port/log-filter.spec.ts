import { describe, expect, it } from '@jest/globals';
import { isVisibleInGlobalLog } from './log-filter.js';

describe('the global log as readers see it', () => {
  it.each([
    ['a user event without a filter', 'orders-1', 'Placed', undefined, true],
    ['a system event', 'orders-1', '$metadata', undefined, false],
    ['a system event the filter matches', '$$orders-1', '$metadata', { eventTypePrefixes: ['$'] }, false],
    ['a stream name prefix match', 'orders-1', 'Placed', { streamNamePrefixes: ['invoices-', 'orders-'] }, true],
    ['a stream name prefix miss', 'orders-1', 'Placed', { streamNamePrefixes: ['invoices-'] }, false],
    ['an event type prefix match', 'orders-1', 'Placed', { eventTypePrefixes: ['Pla'] }, true],
    ['an event type prefix miss', 'orders-1', 'Placed', { eventTypePrefixes: ['orders-'] }, false],
  ] as const)('%s', (_case, streamName, eventType, filter, visible) => {
    expect(isVisibleInGlobalLog(streamName, eventType, filter)).toBe(visible);
  });
});
