// The library boundary is enforced by eslint.config.js: these lint snippets placed in each folder,
// so a rule that stops matching (a renamed folder, a changed option) fails here instead of silently.
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

/** The messages of the import-boundary rule for `code` linted as if it were the file at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports').map((message) => message.message);
}

describe('the import boundaries of eslint.config.js', () => {
  it('refuse the event store, the read store and their types in apps/', async () => {
    const file = 'apps/runtree/src/http/snippet.ts';
    expect(await boundaryErrors(file, "import { positionToString } from '@runtree/event-store';\nexport const f = positionToString;\n")).toEqual([
      expect.stringContaining('never the event store'),
    ]);
    expect(await boundaryErrors(file, "import type { ReadStore } from '@runtree/read-store';\nexport type R = ReadStore;\n")).toEqual([
      expect.stringContaining('never the read store'),
    ]);
  });

  it("refuse the orchestration module's internals and paths into libs/ in apps/, and allow the facade", async () => {
    const file = 'apps/runtree-cli/src/snippet.ts';
    expect(await boundaryErrors(file, "import { EVENT_STORE, Orchestrator } from '@runtree/orchestration';\nexport const t = [EVENT_STORE, Orchestrator];\n")).toEqual([
      expect.stringContaining('Internals of the orchestration module'),
    ]);
    expect(await boundaryErrors(file, "import { runStream } from '../../../libs/orchestration/src/streams/stream-names.js';\nexport const s = runStream;\n")).toEqual([
      expect.stringContaining('never by a path into libs/'),
    ]);
    expect(await boundaryErrors(file, "import { Orchestrator, RunJournals, type Position } from '@runtree/orchestration';\nexport type T = [Orchestrator, RunJournals, Position];\n")).toEqual([]);
  });

  it('refuse apps/ and test/ in libraries, other libraries in the event store, and store values but comparePositions in the read store', async () => {
    expect(await boundaryErrors('libs/orchestration/src/snippet.ts', "import { busNames } from '../../../apps/runtree/src/bus/bus-names.js';\nexport const b = busNames;\n")).toEqual([
      expect.stringContaining('must not import from apps/'),
    ]);
    expect(await boundaryErrors('libs/event-store/src/snippet.ts', "import type { ReadStore } from '@runtree/read-store';\nexport type R = ReadStore;\n")).toEqual([
      expect.stringContaining('none of the other @runtree libraries'),
    ]);
    expect(await boundaryErrors('libs/read-store/src/snippet.ts', "import { openSqliteEventStore } from '@runtree/event-store';\nexport const o = openSqliteEventStore;\n")).toEqual([
      expect.stringContaining('only types (and comparePositions)'),
    ]);
    expect(await boundaryErrors('libs/read-store/src/snippet.ts', "import { comparePositions, type Position } from '@runtree/event-store';\nexport const c: (a: Position, b: Position) => number = comparePositions;\n")).toEqual([]);
  });

  it('leave specs free to reach internals', async () => {
    expect(await boundaryErrors('apps/runtree/src/http/snippet.spec.ts', "import { EVENT_STORE } from '@runtree/orchestration';\nimport type { EventStore } from '@runtree/event-store';\nexport type T = [typeof EVENT_STORE, EventStore];\n")).toEqual([]);
  });
});
