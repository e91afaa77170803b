import { describe, expect, it } from '@jest/globals';
import { busNames, kindToken } from './bus-names.js';

describe("an event's subject", () => {
  it.each([
    ['agent', 'agent'],
    ['web-search_2', 'web-search_2'],
    ['code.review', 'code~2Ereview'],
    ['a b', 'a~20b'],
    ['*>#', '~2A~3E~23'],
    ['é', '~C3~A9'],
    ['~', '~7E'],
  ])('writes the kind %j as the one token %j', (kind, token) => {
    expect(kindToken(kind)).toBe(token);
  });

  it("ends with the run's kind, and has no kind token for a session's or thread's event", () => {
    const names = busNames('rt');
    expect(names.eventSubject('RunStarted', 'code.review')).toBe('rt.events.RunStarted.code~2Ereview');
    expect(names.eventSubject('SessionOpened')).toBe('rt.events.SessionOpened');
  });
});
