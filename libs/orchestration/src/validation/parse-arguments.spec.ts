import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { defaultValidationLimits, parseOptionalPayload, parseOptionalSignal, parseParentRef, parsePayload, parseTimeoutMs } from './index.js';
import { failsWith } from './test-support.js';

describe('parseParentRef', () => {
  it('accepts a run id', () => {
    expect(parseParentRef('run-1')).toEqual(E.right('run-1'));
  });

  it('accepts a run object and gives its runId, ignoring its other fields', () => {
    const run = { runId: 'run-1', kind: 'run', status: 'running', metadata: { a: 1 }, revision: '3' };
    expect(parseParentRef(run)).toEqual(E.right('run-1'));
  });

  it.each([
    ['an empty string', '', 'parent'],
    ['a number', 7, 'parent'],
    ['null', null, 'parent'],
    ['undefined', undefined, 'parent'],
    ['an array', ['run-1'], 'parent'],
    ['an object without runId', { id: 'run-1' }, 'parent.runId'],
    ['an empty runId', { runId: '' }, 'parent.runId'],
    ['a numeric runId', { runId: 1 }, 'parent.runId'],
    ['an id with bad characters', 'run 1', 'parent'],
    ['an over-long id', 'r'.repeat(201), 'parent'],
  ])('refuses %s with invalid_parent', (_label, parent, field) => {
    expect(parseParentRef(parent)).toMatchObject(failsWith('invalid_parent', field));
  });
});

describe('parseTimeoutMs', () => {
  it.each([
    [0, 0],
    [1, 1],
    [30_000, 30_000],
    [-0, 0],
    [86_400_000, 86_400_000],
  ])('accepts %p as %p', (input, expected) => {
    expect(parseTimeoutMs(input)).toEqual(E.right(expected));
  });

  it.each([-1, 1.5, NaN, Infinity, '', '5', ' 5', '-5', '1.5', '1e3', '0x10', null, undefined, true, {}, [5], 10n])('refuses %p with invalid_timeout', (input) => {
    expect(parseTimeoutMs(input)).toMatchObject(failsWith('invalid_timeout', 'timeoutMs'));
  });

  it('refuses more than maxTimeoutMs (24 h by default), naming the maximum', () => {
    const result = parseTimeoutMs(86_400_001);
    expect(result).toMatchObject(failsWith('invalid_timeout', 'timeoutMs'));
    expect(E.isLeft(result) && result.left.message).toContain('86400000');
    expect(parseTimeoutMs('9'.repeat(400))).toMatchObject(failsWith('invalid_timeout', 'timeoutMs'));
  });

  it('follows a configured maximum', () => {
    const limits = { ...defaultValidationLimits, maxTimeoutMs: 1000 };
    expect(parseTimeoutMs(1000, limits)).toEqual(E.right(1000));
    expect(parseTimeoutMs(1001, limits)).toMatchObject(failsWith('invalid_timeout', 'timeoutMs'));
  });
});

describe('parsePayload and parseOptionalPayload', () => {
  it('require a value, naming the field', () => {
    expect(parsePayload(undefined, 'task')).toMatchObject(failsWith('invalid_option', 'task'));
    expect(parsePayload(null, 'task')).toEqual(E.right(null));
  });

  it('let an optional payload be absent', () => {
    expect(parseOptionalPayload(undefined, 'output')).toEqual(E.right(undefined));
    expect(parseOptionalPayload({ ok: true }, 'output')).toEqual(E.right({ ok: true }));
    expect(parseOptionalPayload({ bad: () => 1 }, 'output')).toMatchObject(failsWith('invalid_option', 'output'));
  });
});

describe('parseOptionalSignal', () => {
  it('accepts an AbortSignal, aborted or not, and lets the argument be absent', () => {
    const signal = new AbortController().signal;
    expect(parseOptionalSignal(signal, 'signal')).toEqual(E.right(signal));
    expect(parseOptionalSignal(AbortSignal.abort(), 'signal')).toMatchObject({ _tag: 'Right' });
    expect(parseOptionalSignal(undefined, 'signal')).toEqual(E.right(undefined));
  });

  it.each([null, 'abort', true, { aborted: true, addEventListener: () => undefined }, new AbortController()])('refuses %p with invalid_option naming the field', (input) => {
    expect(parseOptionalSignal(input, 'signal')).toMatchObject(failsWith('invalid_option', 'signal'));
  });
});
