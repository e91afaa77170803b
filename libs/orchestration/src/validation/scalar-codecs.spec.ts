import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { defaultValidationLimits, parseId, parseStartRunOptions, parseStartStepOptions } from './index.js';
import { failsWith } from './test-support.js';

const reasonOf = (result: E.Either<{ details: { [key: string]: unknown } }, unknown>): unknown => (E.isLeft(result) ? result.left.details.reason : undefined);

describe('ids', () => {
  it.each(['r', 'run-1', 'RUN_2', 'a.b:c@d-e', '6f1c2f3a-0b7e-4a51-9d1f-2d4f7c3b9e10', 'inherit'])('accept %p', (id) => {
    expect(parseId(id, 'runId')).toEqual(E.right(id));
  });

  it.each([
    ['empty', '', 'must not be empty'],
    ['a number', 12, 'must be a string, not a number'],
    ['null', null, 'must be a string, not null'],
    ['undefined', undefined, 'must be a string, not undefined'],
    ['an object', { id: 'r' }, 'must be a string, not an object'],
    ['a slash', 'a/b', '"/"'],
    ['a space', 'a b', '" "'],
    ['a newline', 'a\nb', '"\\n"'],
    ['unicode letters', 'runé', '"é"'],
    ['an emoji', 'run-🚀', '"🚀"'],
    ['a stream-name wildcard', 'run-*', '"*"'],
  ])('refuse %s with invalid_option naming the field and the reason', (_label, id, reason) => {
    const result = parseId(id, 'stepId');
    expect(result).toMatchObject(failsWith('invalid_option', 'stepId'));
    expect(reasonOf(result)).toContain(reason);
  });

  it('allow maxIdLength (200) characters and refuse one more', () => {
    expect(parseId('a'.repeat(200), 'runId')).toEqual(E.right('a'.repeat(200)));
    const result = parseId('a'.repeat(201), 'runId');
    expect(result).toMatchObject(failsWith('invalid_option', 'runId'));
    expect(reasonOf(result)).toBe('is 201 characters long, over maxIdLength (200)');
  });

  it('refuse a huge id by its length without echoing it', () => {
    const result = parseId('x'.repeat(5_000_000), 'runId');
    expect(reasonOf(result)).toBe('is 5000000 characters long, over maxIdLength (200)');
    expect(E.isLeft(result) && result.left.message.length).toBeLessThan(200);
  });

  it('follow a configured maxIdLength', () => {
    const limits = { ...defaultValidationLimits, maxIdLength: 3 };
    expect(parseId('abc', 'runId', limits)).toEqual(E.right('abc'));
    expect(parseId('abcd', 'runId', limits)).toMatchObject(failsWith('invalid_option', 'runId'));
  });
});

describe('kinds and names', () => {
  it('accept any non-empty text, unicode included', () => {
    expect(parseStartStepOptions({ name: 'Résumé 📄 步骤', kind: 'tool call/http' })).toEqual(E.right({ name: 'Résumé 📄 步骤', kind: 'tool call/http' }));
  });

  it('count characters, not UTF-16 units: maxLabelLength emoji pass, one more fails', () => {
    const max = defaultValidationLimits.maxLabelLength;
    expect(E.isRight(parseStartRunOptions({ kind: '🚀'.repeat(max) }))).toBe(true);
    const result = parseStartRunOptions({ kind: '🚀'.repeat(max + 1) });
    expect(result).toMatchObject(failsWith('invalid_option', 'kind'));
    expect(reasonOf(result)).toContain(`maxLabelLength (${max} characters)`);
  });

  it('refuse an empty kind', () => {
    expect(parseStartRunOptions({ kind: '' })).toMatchObject(failsWith('invalid_option', 'kind'));
  });
});

describe('defaultValidationLimits', () => {
  it('are the documented defaults and cannot be changed in place', () => {
    expect(defaultValidationLimits).toEqual({
      maxIdLength: 200,
      maxLabelLength: 200,
      maxMetadataBytes: 65536,
      maxPayloadBytes: 1048576,
      maxJsonDepth: 100,
      maxTimeoutMs: 86_400_000,
      maxListLimit: 1000,
    });
    expect(Object.isFrozen(defaultValidationLimits)).toBe(true);
  });
});
