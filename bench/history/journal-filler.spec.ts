import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@runtree/event-store';
import { AgentTrees, steppingClock, type TreeShape } from './agent-trees.js';
import { fillJournal } from './journal-filler.js';

const shape: TreeShape = { childrenPerRoot: 2, stepsPerRoot: 1, stepsPerChild: 0, runningEvery: 3, failedEvery: 2 };
let directory: string | undefined;

afterEach(() => {
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

function journalPath(): string {
  directory = mkdtempSync(join(tmpdir(), 'runtree-journal-filler-'));
  return join(directory, 'runtree.db');
}

describe('fillJournal', () => {
  it('leaves a journal the store reads back event for event, and appends to as to its own', async () => {
    const path = journalPath();
    const expected = new AgentTrees(shape, { newId: sequentialIds(), clock: steppingClock(new Date('2026-01-01T00:00:00Z'), 10) });
    const filled = fillJournal(path, new AgentTrees(shape, { newId: sequentialIds(), clock: steppingClock(new Date('2026-01-01T00:00:00Z'), 10) }), (written) => written.runs >= 6);
    expect(filled).toMatchObject({ runs: 6 });

    const generated = [expected.next(), expected.next()].flatMap((tree) => tree.appends.flatMap((append) => append.events.map((event) => ({ ...event, streamName: append.streamName }))));
    const store = openSqliteEventStore({ path });
    try {
      const read = await store.readAll();
      expect(read.map(({ streamName, id, type, data, metadata }) => ({ streamName, id, type, data, metadata }))).toEqual(generated);
      expect(filled.events).toBe(read.length);
      const rootStream = read[0].streamName;
      const rootEvents = read.filter((event) => event.streamName === rootStream);
      expect(rootEvents.map((event) => event.revision)).toEqual(rootEvents.map((_, index) => BigInt(index)));
      expect(read[0].created.toISOString()).toBe('2026-01-01T00:00:00.010Z');
      // The stream's head is where the store expects it.
      const appended = await store.appendToStream(rootStream, [{ id: '00000000-0000-4000-8000-ffffffffffff', type: 'Probe', data: {} }], { expectedRevision: BigInt(rootEvents.length - 1) });
      expect(appended.nextExpectedRevision).toBe(BigInt(rootEvents.length));
    } finally {
      await store.close();
    }
  });

  it('continues a journal it filled before', async () => {
    const path = journalPath();
    const trees = new AgentTrees(shape);
    const first = fillJournal(path, trees, (written) => written.events >= 20);
    const second = fillJournal(path, trees, (written) => written.events >= 20);
    const store = openSqliteEventStore({ path });
    try {
      expect((await store.readAll()).length).toBe(first.events + second.events);
    } finally {
      await store.close();
    }
  });
});

function sequentialIds(): () => string {
  let ids = 0;
  return () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`;
}
