import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import {
  parseCollectOptions,
  parseCommandOptions,
  parseDelegateOptions,
  parseListRunsOptions,
  parseOpenSessionOptions,
  parseSpawnOptions,
  parseStartRunOptions,
  parseStartStepOptions,
  parseStartThreadOptions,
} from './index.js';
import { failsWith } from './test-support.js';

describe('parseStartRunOptions', () => {
  it('reads undefined options as {}', () => {
    expect(parseStartRunOptions(undefined)).toEqual(E.right({}));
  });

  it('accepts every documented option', () => {
    const options = {
      runId: 'run-1',
      kind: 'research',
      input: { question: 'why?' },
      metadata: { team: 'a' },
      sessionId: 's1',
      threadId: 't1',
      commandId: 'cmd-1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
    };
    expect(parseStartRunOptions(options)).toEqual(E.right(options));
  });

  it('treats a key holding undefined as absent and leaves it out', () => {
    const result = parseStartRunOptions({ runId: undefined, kind: 'k' });
    expect(result).toEqual(E.right({ kind: 'k' }));
    expect(E.isRight(result) && Object.hasOwn(result.right, 'runId')).toBe(false);
  });

  it('refuses an unknown key with unsupported_option naming it and the known options', () => {
    const result = parseStartRunOptions({ runID: 'r' });
    expect(result).toMatchObject(failsWith('unsupported_option', 'runID'));
    expect(E.isLeft(result) && result.left.message).toContain('runID');
    expect(E.isLeft(result) && result.left.details.reason).toContain('known: runId');
  });

  it('reports an unknown key before a wrongly typed one', () => {
    expect(parseStartRunOptions({ runId: 5, foo: 1 })).toMatchObject(failsWith('unsupported_option', 'foo'));
  });

  it.each([
    ['runId', 42],
    ['kind', ''],
    ['kind', 7],
    ['metadata', 'text'],
    ['metadata', null],
    ['metadata', [1, 2]],
    ['sessionId', ''],
    ['input', () => 1],
    ['commandId', 'has space'],
    ['correlationId', {}],
    ['causationId', true],
  ])('refuses a wrongly typed %s (%p) with invalid_option naming it', (field, value) => {
    const result = parseStartRunOptions({ [field]: value });
    expect(result).toMatchObject(failsWith('invalid_option', field));
    expect(E.isLeft(result) && result.left.message).toContain(field);
    expect(E.isLeft(result) && typeof result.left.details.reason).toBe('string');
  });

  it('refuses a threadId without a sessionId: a thread needs a session', () => {
    const result = parseStartRunOptions({ threadId: 't1' });
    expect(result).toMatchObject(failsWith('session_required_for_thread', 'threadId'));
    expect(E.isLeft(result) && result.left.details.reason).toContain('sessionId');
  });

  it('refuses the target keywords as session or thread ids', () => {
    expect(parseStartRunOptions({ sessionId: 'none' })).toMatchObject(failsWith('invalid_option', 'sessionId'));
    expect(parseStartRunOptions({ sessionId: 's', threadId: 'inherit' })).toMatchObject(failsWith('invalid_option', 'threadId'));
  });

  it.each([null, 'options', 3, [], [{ runId: 'r' }]])('refuses options that are not an object (%p) with invalid_option', (options) => {
    expect(parseStartRunOptions(options)).toMatchObject(failsWith('invalid_option', 'options'));
  });

  it('reads only own keys: inherited properties are neither options nor unknown keys', () => {
    const options = Object.create({ runId: 'inherited', foo: 1 }) as object;
    expect(parseStartRunOptions(options)).toEqual(E.right({}));
  });
});

describe('parseSpawnOptions', () => {
  it('accepts input, metadata, kind, ids and targets', () => {
    const options = { runId: 'child', kind: 'worker', input: [1, 'two'], metadata: {}, session: 'inherit', thread: 'none', commandId: 'c' };
    expect(parseSpawnOptions(options)).toEqual(E.right(options));
  });

  it('refuses unknown keys with unsupported_option', () => {
    expect(parseSpawnOptions({ task: 'x' })).toMatchObject(failsWith('unsupported_option', 'task'));
  });

  it('refuses bad metadata with invalid_option naming metadata', () => {
    expect(parseSpawnOptions({ metadata: [] })).toMatchObject(failsWith('invalid_option', 'metadata'));
  });
});

describe('parseDelegateOptions', () => {
  it('refuses input with unsupported_option: the task is the input', () => {
    const result = parseDelegateOptions({ input: { a: 1 } });
    expect(result).toMatchObject(failsWith('unsupported_option', 'input'));
    expect(E.isLeft(result) && result.left.details.reason).toContain('the task is the input');
  });

  it('refuses input even when it is null', () => {
    expect(parseDelegateOptions({ input: null })).toMatchObject(failsWith('unsupported_option', 'input'));
  });

  it('accepts the other spawn options', () => {
    const options = { runId: 'd1', kind: 'delegated_task', metadata: { a: 1 }, session: { open: {} }, thread: { start: {} } };
    expect(parseDelegateOptions(options)).toEqual(E.right(options));
  });
});

describe('parseCollectOptions', () => {
  it('applies the defaults: steps and journal in, descendants out', () => {
    expect(parseCollectOptions(undefined)).toEqual(E.right({ includeSteps: true, includeJournal: true, includeDescendants: false }));
  });

  it('keeps what the caller set', () => {
    expect(parseCollectOptions({ includeSteps: false, includeDescendants: true })).toEqual(
      E.right({ includeSteps: false, includeJournal: true, includeDescendants: true }),
    );
  });

  it.each(['includeSteps', 'includeJournal', 'includeDescendants'])('refuses a non-boolean %s with invalid_option', (field) => {
    expect(parseCollectOptions({ [field]: 'true' })).toMatchObject(failsWith('invalid_option', field));
    expect(parseCollectOptions({ [field]: 1 })).toMatchObject(failsWith('invalid_option', field));
    expect(parseCollectOptions({ [field]: null })).toMatchObject(failsWith('invalid_option', field));
  });

  it('refuses other keys with unsupported_option', () => {
    expect(parseCollectOptions({ includeChildren: true })).toMatchObject(failsWith('unsupported_option', 'includeChildren'));
  });
});

describe('session, thread, step and command options', () => {
  it('parseOpenSessionOptions accepts sessionId and metadata, refuses others', () => {
    expect(parseOpenSessionOptions({ sessionId: 's1', metadata: { a: 1 } })).toEqual(E.right({ sessionId: 's1', metadata: { a: 1 } }));
    expect(parseOpenSessionOptions({ name: 'x' })).toMatchObject(failsWith('unsupported_option', 'name'));
    expect(parseOpenSessionOptions({ sessionId: 'a/b' })).toMatchObject(failsWith('invalid_option', 'sessionId'));
  });

  it('parseStartThreadOptions accepts threadId, name and metadata', () => {
    expect(parseStartThreadOptions({ threadId: 't1', name: 'Planning ✨', metadata: {} })).toEqual(
      E.right({ threadId: 't1', name: 'Planning ✨', metadata: {} }),
    );
    expect(parseStartThreadOptions({ name: '' })).toMatchObject(failsWith('invalid_option', 'name'));
    expect(parseStartThreadOptions({ sessionId: 's' })).toMatchObject(failsWith('unsupported_option', 'sessionId'));
  });

  it('parseStartStepOptions accepts stepId, name, kind and input', () => {
    const options = { stepId: 'step-1', name: 'fetch', kind: 'tool_call', input: null };
    expect(parseStartStepOptions(options)).toEqual(E.right(options));
    expect(parseStartStepOptions({ stepId: '' })).toMatchObject(failsWith('invalid_option', 'stepId'));
    expect(parseStartStepOptions({ output: 1 })).toMatchObject(failsWith('unsupported_option', 'output'));
  });

  it('parseCommandOptions accepts the three command ids only', () => {
    const options = { commandId: '6f1c2f3a-0b7e-4a51-9d1f-2d4f7c3b9e10', correlationId: 'corr', causationId: 'cause' };
    expect(parseCommandOptions(options)).toEqual(E.right(options));
    expect(parseCommandOptions(undefined)).toEqual(E.right({}));
    expect(parseCommandOptions({ commandId: 12 })).toMatchObject(failsWith('invalid_option', 'commandId'));
    expect(parseCommandOptions({ runId: 'r' })).toMatchObject(failsWith('unsupported_option', 'runId'));
  });
});

describe('unknown keys that are no identifier', () => {
  it.each([
    ['', '[""]'],
    [' ', '[" "]'],
    ['a.b', '["a.b"]'],
    ['\u0000', '["\\u0000"]'],
  ])('name the key %p unambiguously as %s (an empty key was named "options")', (key, field) => {
    expect(parseCommandOptions({ [key]: {} })).toMatchObject(failsWith('unsupported_option', field));
  });
});

describe('parseListRunsOptions', () => {
  const noPayloads = { metadata: false, input: false, output: false };

  it('applies the default page size and normalises timestamps to UTC', () => {
    expect(parseListRunsOptions({ createdAfter: '2026-12-01', createdBefore: '2026-12-01T12:30+02:00' })).toEqual(
      E.right({ createdAfter: '2026-12-01T00:00:00.000Z', createdBefore: '2026-12-01T10:30:00.000Z', limit: 100, include: noPayloads }),
    );
  });

  it.each(['2024-02-29', '2026-12-31T23:59:59.999Z', '2026-04-30T10:00:00-05:00'])('takes the calendar date %s', (createdAfter) => {
    expect(E.isRight(parseListRunsOptions({ createdAfter }))).toBe(true);
  });

  it.each(['2026-02-30', '2025-02-29', '2026-04-31T10:00:00Z', '2026-06-31T00:00+01:00', '2026-13-01', '2026-12-00'])(
    'refuses %s, a day no month has, instead of rolling it over into the next month',
    (createdAfter) => {
      expect(parseListRunsOptions({ createdAfter })).toMatchObject(failsWith('invalid_option', 'createdAfter'));
    },
  );
});
