import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { parseDelegateOptions, parseSpawnOptions } from './index.js';
import { failsWith } from './test-support.js';

describe('session target', () => {
  it.each([
    ['inherit', 'inherit'],
    ['none', 'none'],
    ['a session id', 'session-42'],
    ['open with nothing', { open: {} }],
    ['open with metadata', { open: { metadata: { purpose: 'sandbox' } } }],
    ['open without stopping on cancel', { open: {}, stopOnCancel: false }],
  ])('accepts %s', (_label, session) => {
    expect(parseSpawnOptions({ session })).toEqual(E.right({ session }));
  });

  it.each([
    ['a number', 42, 'session'],
    ['null', null, 'session'],
    ['an array', ['s1'], 'session'],
    ['an empty string', '', 'session'],
    ['an id with a space', 'my session', 'session'],
    ['an object without open', { stopOnCancel: true }, 'session'],
    ['a wrong key', { opens: {} }, 'session'],
    ['open that is not an object', { open: true }, 'session.open'],
    ['open that is an array', { open: [] }, 'session.open'],
    ['open with undefined', { open: undefined }, 'session.open'],
    ['an extra key beside open', { open: {}, closeOnCancel: true }, 'session.closeOnCancel'],
    ['an extra key inside open', { open: { name: 'x' } }, 'session.open.name'],
    ['a non-boolean stopOnCancel', { open: {}, stopOnCancel: 'yes' }, 'session.stopOnCancel'],
    ['metadata that is an array', { open: { metadata: [1] } }, 'session.open.metadata'],
    ['metadata holding a function', { open: { metadata: { deep: { fn: () => 1 } } } }, 'session.open.metadata'],
  ])('refuses %s with invalid_session_target naming the path', (_label, session, field) => {
    expect(parseSpawnOptions({ session })).toMatchObject(failsWith('invalid_session_target', field));
  });

  it('treats the keywords as keywords, exactly as spelled', () => {
    expect(parseSpawnOptions({ session: 'Inherit' })).toEqual(E.right({ session: 'Inherit' }));
  });

  it('applies to delegate the same way', () => {
    expect(parseDelegateOptions({ session: 1 })).toMatchObject(failsWith('invalid_session_target', 'session'));
  });
});

describe('thread target', () => {
  it.each([
    ['inherit', 'inherit'],
    ['none', 'none'],
    ['a thread id', 'thread:7'],
    ['{ threadId }', { threadId: 'thread-7' }],
    ['start with nothing', { start: {} }],
    ['start with a name and metadata', { start: { name: 'Review', metadata: { lang: 'fr' } } }],
  ])('accepts %s', (_label, thread) => {
    expect(parseSpawnOptions({ thread })).toEqual(E.right({ thread }));
  });

  it.each([
    ['a number', 7, 'thread'],
    ['an empty string', '', 'thread'],
    ['an object with neither form', { id: 't' }, 'thread'],
    ['an empty threadId', { threadId: '' }, 'thread.threadId'],
    ['a numeric threadId', { threadId: 3 }, 'thread.threadId'],
    ['both forms at once', { threadId: 't', start: {} }, 'thread.start'],
    ['start that is not an object', { start: 'now' }, 'thread.start'],
    ['an empty name', { start: { name: '' } }, 'thread.start.name'],
    ['an extra key inside start', { start: { sessionId: 's' } }, 'thread.start.sessionId'],
    ['metadata that is null', { start: { metadata: null } }, 'thread.start.metadata'],
  ])('refuses %s with invalid_thread_target naming the path', (_label, thread, field) => {
    expect(parseSpawnOptions({ thread })).toMatchObject(failsWith('invalid_thread_target', field));
  });

  it('says what a thread target may be', () => {
    const result = parseSpawnOptions({ thread: 7 });
    expect(E.isLeft(result) && result.left.message).toMatch(/Invalid thread target: thread must be 'inherit', 'none', a thread id/);
  });
});
