import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JsonValue } from '@runtree/event-store';
import { runOf, schemaRegistry, type SchemaRegistry } from '@runtree/orchestration';
import { endOf, exportedLines, formatProblem, journalEventOf, ReadModelBuilder, verifyJournal, type Journal, type JournalLine } from '@runtree/journal-audit';
import { progressBar } from '../../apps/runtree-cli/src/progress.js';
import { createFixtureStore, type FixtureStore } from './support/fixture-store.js';
import { clone, forge, type JournalText, type Line } from './support/journal-lines.js';

// The build has one schema version and no upcaster yet, so the CLI cannot be shown an old event
// it accepts; verify and replay take the registry as a parameter, and this test hands them a
// registry of a (simulated) version 2 in which RunFailed's `error` was called `reason` in version 1.
const version2: SchemaRegistry = {
  current: 2,
  upcasters: { RunFailed: { 1: (data: JsonValue) => ({ error: (data as { reason: JsonValue }).reason }) } },
};

const toJournal = ({ lines, end }: JournalText): Journal => ({
  source: 'test',
  events: (lines as unknown as JournalLine[]).map((line, index) => journalEventOf(line, index + 1)),
  end: end?.end,
  malformed: [],
});

describe('verify and replay upcast older event versions', () => {
  let fixture: FixtureStore;
  let exported: Line[];

  beforeAll(async () => {
    fixture = await createFixtureStore();
    const started = await fixture.open();
    try {
      exported = (await exportedLines(started.orchestrator, fixture.trees.wide, true)) as unknown as Line[];
    } finally {
      await started.close();
    }
  }, 120_000);

  afterAll(() => fixture?.dispose());

  /** The wide tree written under version 2, except one RunFailed still in its version 1 shape. */
  function journalWithOldRunFailed(): { journal: Journal; oldEvent: Line } {
    const lines: Line[] = clone(exported).map((line) => ({ ...line, metadata: { ...line.metadata, schemaVersion: 2 } }));
    const index = lines.findIndex((line) => line.type === 'RunFailed');
    const { error } = lines[index].data as { error: JsonValue };
    lines[index] = { ...lines[index], data: { reason: error }, metadata: { ...lines[index].metadata, schemaVersion: 1 } };
    const forged = forge({ lines, end: { end: endOf(lines as unknown as JournalLine[], fixture.trees.wide, true) } });
    return { journal: toJournal(forged), oldEvent: forged.lines[index] };
  }

  it('accepts an old version that an upcaster covers', () => {
    expect(verifyJournal(journalWithOldRunFailed().journal, version2).map(formatProblem)).toEqual([]);
  });

  it('names the old event when no upcaster covers its version', () => {
    const { journal, oldEvent } = journalWithOldRunFailed();
    const noUpcasters: SchemaRegistry = { current: 2, upcasters: {} };
    expect(verifyJournal(journal, noUpcasters).map(formatProblem)).toEqual([
      `${oldEvent.stream}@${oldEvent.revision}: does not decode: RunFailed: no upcaster from schema version 1`,
    ]);
  });

  it("is refused by this build's registry, which does not know version 2", () => {
    const problems = verifyJournal(journalWithOldRunFailed().journal, schemaRegistry).map(formatProblem);
    expect(problems.length).toBe(exported.length);
    expect(problems.every((problem) => problem.endsWith('unsupported schema version 2') || problem.endsWith('RunFailed: error invalid'))).toBe(true);
  });

  it('replays the upcast event into the read models', async () => {
    const { journal, oldEvent } = journalWithOldRunFailed();
    const builder = new ReadModelBuilder(version2, progressBar('test', undefined, { write: () => true }));
    for (const event of journal.events) await builder.apply(event.recorded);
    const { models, skipped } = await builder.finish();
    try {
      expect(skipped).toEqual([]);
      const failedRunId = oldEvent.stream.slice('run-'.length);
      expect(runOf((await models.run(failedRunId))!)).toMatchObject({ status: 'failed', error: (oldEvent.data as { reason: JsonValue }).reason });
    } finally {
      await models.close();
    }
  });
});
