import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventHash } from '@runtree/orchestration';
import { createFixtureStore, type FixtureStore } from './support/fixture-store.js';
import { chainedMetadata, clone, forge, indexOf, readJournal, streamOf, writeJournal, type JournalText, type Line } from './support/journal-lines.js';
import { ensureCliBuilt, runCli, type CliResult } from './support/run-cli.js';

/** The verify report's problem lines (the last line is the summary). */
const problemsOf = (result: CliResult): string[] => result.stdout.trim().split('\n').slice(0, -1);

describe('runtree journal verify finds tampering', () => {
  let fixture: FixtureStore;
  let mixed: JournalText;
  let finished: JournalText;

  beforeAll(async () => {
    await ensureCliBuilt();
    fixture = await createFixtureStore();
    const exportTree = async (runId: string): Promise<JournalText> => {
      const out = join(fixture.directory, `${runId}.ndjson`);
      expect((await runCli(['journal', 'export', runId, '--tree', '--sqlite', fixture.path, '--out', out])).code).toBe(0);
      return readJournal(out);
    };
    mixed = await exportTree(fixture.trees.mixed);
    finished = await exportTree(fixture.trees.finished);
  }, 240_000);

  afterAll(() => fixture?.dispose());

  let edits = 0;
  /** Verifies a copy of the journal with `edit` applied. */
  const verifyEdited = async (journal: JournalText, edit: (copy: JournalText) => JournalText | void): Promise<CliResult> => {
    const copy = clone(journal);
    const file = join(fixture.directory, `edited-${++edits}.ndjson`);
    await writeJournal(file, edit(copy) ?? copy);
    return runCli(['journal', 'verify', file]);
  };
  const at = (journal: JournalText, index: number): string => `${journal.lines[index].stream}@${journal.lines[index].revision}`;

  it('a changed field of one event: names that event and nothing else', async () => {
    const index = indexOf(mixed, streamOf(fixture.mixed.searcher), 'RunCompleted');
    const result = await verifyEdited(mixed, (copy) => {
      copy.lines[index].data = { output: { hits: 30 } };
    });
    expect(problemsOf(result)).toEqual([`${at(mixed, index)}: hash does not match the event's content (changed after it was written)`]);
    expect(result.stdout).toMatch(/\nFAILED .*: 1 problem; \d+ events in 5 streams\n$/);
    expect(result.code).toBe(1);
  });

  it('a changed metadata field is found too', async () => {
    const index = indexOf(mixed, streamOf(fixture.mixed.root), 'StepStarted');
    const result = await verifyEdited(mixed, (copy) => {
      copy.lines[index].metadata.occurredAt = '1999-01-01T00:00:00.000Z';
    });
    expect(problemsOf(result)).toEqual([`${at(mixed, index)}: hash does not match the event's content (changed after it was written)`]);
    expect(result.code).toBe(1);
  });

  it('a dropped event: names the event after the gap and the missing revision', async () => {
    const index = indexOf(mixed, streamOf(fixture.mixed.root), 'StepCompleted');
    const { stream, revision } = mixed.lines[index];
    const next = mixed.lines.findIndex((line, i) => i > index && line.stream === stream);
    const result = await verifyEdited(mixed, (copy) => ({ ...copy, lines: copy.lines.filter((_, i) => i !== index) }));
    expect(problemsOf(result)).toEqual([
      `${at(mixed, next)}: chain broken: prevHash is not the hash of ${stream}@${Number(revision) - 1}, the event before it (an event was dropped, inserted or moved)`,
      `${at(mixed, next)}: revision ${revision} is missing before it`,
      `line ${mixed.lines.length}: the end record counts ${mixed.lines.length} events, the journal has ${mixed.lines.length - 1}`,
    ]);
    expect(result.code).toBe(1);
  });

  it('two events of one stream swapped: names both', async () => {
    const stream = streamOf(fixture.mixed.root);
    const [first, second] = mixed.lines.flatMap((line, i) => (line.stream === stream && ['StepStarted', 'StepCompleted'].includes(line.type) ? [i] : [])).slice(0, 2);
    const result = await verifyEdited(mixed, (copy) => {
      [copy.lines[first], copy.lines[second]] = [copy.lines[second], copy.lines[first]];
    });
    const problems = problemsOf(result);
    expect(problems.some((problem) => problem.startsWith(`${at(mixed, second)}: chain broken`))).toBe(true);
    expect(problems.some((problem) => problem.startsWith(`${at(mixed, first)}: comes after revision ${mixed.lines[second].revision} of its stream (moved or repeated)`))).toBe(true);
    expect(result.code).toBe(1);
  });

  it('two events of different streams swapped: the commit order is broken', async () => {
    const index = mixed.lines.findIndex((line, i) => i > 0 && line.stream !== mixed.lines[i - 1].stream);
    const result = await verifyEdited(mixed, (copy) => {
      [copy.lines[index - 1], copy.lines[index]] = [copy.lines[index], copy.lines[index - 1]];
    });
    expect(problemsOf(result)).toEqual([
      `${at(mixed, index - 1)}: position ${mixed.lines[index - 1].position} is not after ${mixed.lines[index].position} of the line before (out of commit order)`,
    ]);
    expect(result.code).toBe(1);
  });

  it('an inserted event, hashed correctly on its own: the chain breaks at the event after it', async () => {
    const stream = streamOf(fixture.mixed.root);
    const index = indexOf(mixed, stream, 'StepCompleted');
    const before = mixed.lines.filter((line, i) => i < index && line.stream === stream).at(-1)!;
    const result = await verifyEdited(mixed, (copy) => {
      const metadata = chainedMetadata(before.metadata, before.hash);
      const data = { stepId: 'forged', name: 'forged', kind: 'llm' };
      const revision = String(Number(before.revision) + 1);
      const hash = eventHash(before.hash, { streamName: stream, revision: BigInt(revision), id: '00000000-0000-4000-8000-000000000000', type: 'StepStarted', data, metadata });
      const inserted: Line = { ...before, revision, eventId: '00000000-0000-4000-8000-000000000000', type: 'StepStarted', data, metadata: { ...metadata, hash }, hash };
      copy.lines.splice(index, 0, inserted);
    });
    const problems = problemsOf(result);
    expect(problems).toContain(`${at(mixed, index)}: chain broken: prevHash is not the hash of ${stream}@${Number(before.revision) + 1}, the event before it (an event was dropped, inserted or moved)`);
    expect(problems).toContain(`${at(mixed, index)}: comes after revision ${Number(before.revision) + 1} of its stream (moved or repeated)`);
    expect(result.code).toBe(1);
  });

  it('an event appended to a stream by someone who re-chained it: the end record does not name it', async () => {
    const stream = streamOf(fixture.mixed.reviewer);
    const result = await verifyEdited(mixed, (copy) => {
      const forged = forge({ ...copy, lines: [...copy.lines, { ...copy.lines[indexOf(copy, stream, 'RunStarted')], type: 'RunCompleted', data: { output: 'forged' }, position: '999999/999999' }] });
      return { lines: forged.lines, end: copy.end };
    });
    const last = mixed.lines.filter((line) => line.stream === stream).length;
    expect(problemsOf(result)).toEqual([
      `${stream}@${last}: the stream's last event is not the one the end record names (${stream}@${last - 1})`,
      `line ${mixed.lines.length + 2}: the end record counts ${mixed.lines.length} events, the journal has ${mixed.lines.length + 1}`,
    ]);
    expect(result.code).toBe(1);
  });

  it('the end cut off: no end record, naming the last event left', async () => {
    const keep = mixed.lines.length - 3;
    const result = await verifyEdited(mixed, (copy) => ({ lines: copy.lines.slice(0, keep), end: undefined }));
    expect(problemsOf(result)).toEqual([`line ${keep + 1}: no end record: the journal was cut short (the last event is ${at(mixed, keep - 1)})`]);
    expect(result.code).toBe(1);
  });

  it("a stream's last events dropped before the end record: names the missing revisions", async () => {
    const stream = streamOf(fixture.mixed.writer);
    const writerLines = mixed.lines.filter((line) => line.stream === stream);
    const result = await verifyEdited(mixed, (copy) => {
      const lastTwo = copy.lines.filter((line) => line.stream === stream).slice(-2);
      return { ...copy, lines: copy.lines.filter((line) => !lastTwo.includes(line)) };
    });
    const lastRevision = writerLines.length - 1;
    expect(problemsOf(result)).toEqual([
      `${stream}@${lastRevision}: cut short: ${stream}@${lastRevision - 1}-${lastRevision} are missing at the end of the stream`,
      `line ${mixed.lines.length - 1}: the end record counts ${mixed.lines.length} events, the journal has ${mixed.lines.length - 2}`,
    ]);
    expect(result.code).toBe(1);
  });

  it('a line cut in the middle is named by its line number', async () => {
    const file = join(fixture.directory, 'cut.ndjson');
    const text = mixed.lines.map((line) => JSON.stringify(line)).join('\n');
    await writeFile(file, text.slice(0, text.length - 20));
    const result = await runCli(['journal', 'verify', file]);
    expect(problemsOf(result)).toEqual([
      `line ${mixed.lines.length}: not JSON`,
      `line ${mixed.lines.length}: no end record: the journal was cut short (the last event is ${at(mixed, mixed.lines.length - 2)})`,
    ]);
    expect(result.code).toBe(1);
  });

  it('an event its codec refuses is named, even when re-chained', async () => {
    const index = indexOf(mixed, streamOf(fixture.mixed.searcher), 'RunCompleted');
    const result = await verifyEdited(mixed, (copy) => {
      copy.lines[index] = { ...copy.lines[index], type: 'RunFailed', data: { reason: 'no error field' } };
      return forge(copy);
    });
    expect(problemsOf(result)).toEqual([`${at(mixed, index)}: does not decode: RunFailed: error invalid`]);
    expect(result.code).toBe(1);
  });

  describe('lineage, when the chain itself was forged', () => {
    it("a child's RunStarted that disagrees with its parent's link", async () => {
      const index = indexOf(mixed, streamOf(fixture.mixed.citer), 'RunStarted');
      const link = indexOf(mixed, streamOf(fixture.mixed.writer), 'ChildSpawned');
      const result = await verifyEdited(mixed, (copy) => {
        const data = copy.lines[index].data as { lineage: { sequence: number } };
        data.lineage.sequence = 7;
        return forge(copy);
      });
      expect(problemsOf(result)).toEqual([
        `${at(mixed, index)}: says it is the spawned child #7 of ${fixture.mixed.writer}, but ${at(mixed, link)} links it as spawned child #0 of ${fixture.mixed.writer}`,
      ]);
      expect(result.code).toBe(1);
    });

    it("a child whose parent's stream was left out", async () => {
      const writer = streamOf(fixture.mixed.writer);
      const citer = indexOf(mixed, streamOf(fixture.mixed.citer), 'RunStarted');
      const result = await verifyEdited(mixed, (copy) => forge({ ...copy, lines: copy.lines.filter((line) => line.stream !== writer) }));
      expect(problemsOf(result)).toEqual([`${at(mixed, citer)}: its parent run ${fixture.mixed.writer} is not in the journal`]);
      expect(result.code).toBe(1);
    });

    it('a child linked after its parent became terminal', async () => {
      const root = streamOf(fixture.trees.finished);
      const result = await verifyEdited(finished, (copy) => {
        const link = indexOf(copy, root, 'ChildSpawned');
        const completed = indexOf(copy, root, 'RunCompleted');
        const [moved] = copy.lines.splice(link, 1);
        copy.lines.splice(completed, 0, moved);
        // Positions follow the lines, so that only the lineage is wrong.
        const positions = finished.lines.map((line) => line.position);
        copy.lines.forEach((line, i) => (line.position = positions[i]));
        return forge(copy);
      });
      const problems = problemsOf(result);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${root}@\\d+: links child [\\w-]+ after the run became terminal at ${root}@\\d+$`));
      expect(result.code).toBe(1);
    });
  });
});
