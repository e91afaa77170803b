import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { defaultValidationLimits, parsePayload, parseStartRunOptions } from './index.js';
import { failsWith } from './test-support.js';

const reasonOf = (result: E.Either<{ details: { [key: string]: unknown } }, unknown>): unknown => (E.isLeft(result) ? result.left.details.reason : undefined);

describe('JSON payloads (input, output, error, task)', () => {
  it.each([null, true, 0, -1.5, 'text', '', [], {}, [1, [2, [3]]], { nested: { list: [null, false, 'x'] } }])('accept the JSON value %p', (value) => {
    expect(parsePayload(value, 'input')).toEqual(E.right(value));
  });

  it('accepts unicode text, including astral characters and a lone surrogate', () => {
    const value = { text: 'héllo 世界 🚀', odd: '\ud800' };
    expect(parsePayload(value, 'input')).toEqual(E.right(value));
  });

  it('accepts a value shared twice without a cycle', () => {
    const shared = { a: 1 };
    expect(parsePayload({ left: shared, right: shared }, 'input')).toEqual(E.right({ left: { a: 1 }, right: { a: 1 } }));
  });

  const cyclic: { self?: unknown } = {};
  cyclic.self = cyclic;
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays

  it.each([
    ['a function', () => 1, 'function'],
    ['a nested function', { a: [{ b: () => 1 }] }, 'a[0].b'],
    ['undefined inside an object', { a: undefined }, 'a holds undefined'],
    ['undefined inside an array', [1, undefined], '[1]'],
    ['an array hole', sparse, '[1] is a hole'],
    ['NaN', { n: NaN }, 'NaN'],
    ['Infinity', [Infinity], 'Infinity'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a bigint', { big: 10n }, 'bigint'],
    ['a symbol', Symbol('s'), 'symbol'],
    ['a cycle', cyclic, 'cycle'],
    ['a Date', { when: new Date(0) }, 'Date'],
    ['a Map', new Map(), 'Map'],
    ['a class instance', new (class Point { x = 1 })(), 'Point'],
    ['a quoted key path', { 'odd key': () => 1 }, '["odd key"]'],
  ])('refuses %s with invalid_option, saying what and where', (_label, value, mention) => {
    const result = parsePayload(value, 'task');
    expect(result).toMatchObject(failsWith('invalid_option', 'task'));
    expect(reasonOf(result)).toContain(mention);
  });

  it('refuses nesting deeper than maxJsonDepth instead of exhausting the stack', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const result = parsePayload(deep, 'input');
    expect(result).toMatchObject(failsWith('invalid_option', 'input'));
    expect(reasonOf(result)).toContain('maxJsonDepth');
  });

  it('accepts nesting up to maxJsonDepth', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < defaultValidationLimits.maxJsonDepth; level++) deep = [deep];
    expect(E.isRight(parsePayload(deep, 'input'))).toBe(true);
    expect(E.isLeft(parsePayload([deep], 'input'))).toBe(true);
  });

  it('measures maxPayloadBytes on the UTF-8 JSON text: at the limit passes, one byte over fails', () => {
    const limits = { ...defaultValidationLimits, maxPayloadBytes: 12 };
    expect(parsePayload('ééééé', 'output', limits)).toEqual(E.right('ééééé')); // 2 quotes + 5 × 2 bytes
    const over = parsePayload('éééééa', 'output', limits);
    expect(over).toMatchObject(failsWith('invalid_option', 'output'));
    expect(reasonOf(over)).toBe('is 13 bytes as JSON, over maxPayloadBytes (12)');
  });

  it('holds 1 MiB by default', () => {
    const atLimit = 'x'.repeat(defaultValidationLimits.maxPayloadBytes - 2);
    expect(E.isRight(parsePayload(atLimit, 'input'))).toBe(true);
    expect(E.isLeft(parsePayload(`${atLimit}x`, 'input'))).toBe(true);
  });

  it('returns a copy detached from the caller’s object', () => {
    const input = { list: [1] };
    const result = parsePayload(input, 'input');
    input.list.push(2);
    expect(result).toEqual(E.right({ list: [1] }));
  });
});

describe('metadata', () => {
  it.each([
    ['an array', [], 'metadata'],
    ['null', null, 'metadata'],
    ['a string', 'team=a', 'metadata'],
    ['a nested bad value', { a: { b: [1, NaN] } }, 'metadata'],
  ])('refuses %s with invalid_option naming metadata', (_label, metadata, field) => {
    expect(parseStartRunOptions({ metadata })).toMatchObject(failsWith('invalid_option', field));
  });

  it('names where inside metadata the bad value sits', () => {
    expect(reasonOf(parseStartRunOptions({ metadata: { a: { b: [1, NaN] } } }))).toBe('at a.b[1] holds NaN, which JSON cannot represent');
  });

  it('accepts an object without a prototype', () => {
    const metadata = Object.assign(Object.create(null) as object, { a: 1 });
    expect(parseStartRunOptions({ metadata })).toEqual(E.right({ metadata: { a: 1 } }));
  });

  it('enforces maxMetadataBytes (64 KiB by default) at its boundary', () => {
    const padding = defaultValidationLimits.maxMetadataBytes - '{"p":""}'.length;
    expect(E.isRight(parseStartRunOptions({ metadata: { p: 'x'.repeat(padding) } }))).toBe(true);
    const over = parseStartRunOptions({ metadata: { p: 'x'.repeat(padding + 1) } });
    expect(over).toMatchObject(failsWith('invalid_option', 'metadata'));
    expect(reasonOf(over)).toContain('maxMetadataBytes (65536)');
  });

  it('keeps __proto__ and constructor keys as plain data without touching any prototype', () => {
    const metadata: unknown = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    const result = parseStartRunOptions({ metadata });
    expect(E.isRight(result)).toBe(true);
    const parsed = E.isRight(result) ? (result.right.metadata as object) : {};
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(parsed)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect((parsed as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
