import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { JsonValue } from '@runtree/event-store';
import { canonicalJson, eventHash, type HashedContent } from './hash-chain.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth, inside arrays too', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text for the same value whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: 'a' } })).toBe(canonicalJson({ y: { q: 'a', p: true }, x: 1 }));
  });

  it('writes any JSON value as JSON that parses back to it, whatever its key order', () => {
    const reversedKeys = (item: unknown): unknown => {
      if (Array.isArray(item)) return item.map(reversedKeys);
      if (item === null || typeof item !== 'object') return item;
      return Object.fromEntries(Object.entries(item).reverse().map(([key, child]) => [key, reversedKeys(child)]));
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value as JsonValue);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reversedKeys(value) as JsonValue)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('leaves out a key whose value is undefined, like JSON.stringify', () => {
    const withUndefined = { a: 1, b: undefined } as unknown as JsonValue;
    expect(canonicalJson(withUndefined)).toBe('{"a":1}');
    expect(canonicalJson(withUndefined)).toBe(canonicalJson({ a: 1 }));
  });

  it.each<[JsonValue, string]>([
    [null, 'null'],
    [true, 'true'],
    [42, '42'],
    ['quote " and \\ and \n', JSON.stringify('quote " and \\ and \n')],
    [{ 'k"ey': 1 }, '{"k\\"ey":1}'],
  ])('writes %p as JSON', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('eventHash', () => {
  const content: HashedContent = {
    streamName: 'run-1',
    revision: 4n,
    id: '00000000-0000-0000-0000-000000000001',
    type: 'RunCompleted',
    data: { output: { a: 1, b: 2 } },
    metadata: { commandId: 'c', schemaVersion: 1, prevHash: 'p' },
  };
  const hash = eventHash('p', content);

  it('is a SHA-256 hex digest, the same for the same content', () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash('p', { ...content })).toBe(hash);
  });

  // Journals already written carry these hashes: the bytes hashed must never change.
  it('is the digest the journal has always recorded', () => {
    expect(hash).toBe('ac2c1e36050bf7c92b8f130a04f7c98416840e6e3b8daf1af95575fb709af74e');
    const unusual = { text: 'h\u00e9llo \u{1F600} \ud800', list: [1, null, { z: [], y: {} }] };
    expect(eventHash('p', { ...content, data: unusual })).toBe('706d92d61698496d32c65cf97c7b3143bf705b2dc1238df92853342587f04ba3');
  });

  it('does not depend on the key order of data and metadata', () => {
    expect(eventHash('p', { ...content, data: { output: { b: 2, a: 1 } }, metadata: { prevHash: 'p', schemaVersion: 1, commandId: 'c' } })).toBe(hash);
  });

  it.each<[string, string, Partial<HashedContent>]>([
    ['the previous hash', 'q', {}],
    ['the stream', 'p', { streamName: 'run-2' }],
    ['the revision', 'p', { revision: 5n }],
    ['the id', 'p', { id: '00000000-0000-0000-0000-000000000002' }],
    ['the type', 'p', { type: 'RunFailed' }],
    ['the data', 'p', { data: { output: { a: 1, b: 3 } } }],
    ['the metadata', 'p', { metadata: { commandId: 'other', schemaVersion: 1, prevHash: 'p' } }],
  ])('changes when %s changes', (_name, prevHash, change) => {
    expect(eventHash(prevHash, { ...content, ...change })).not.toBe(hash);
  });
});
