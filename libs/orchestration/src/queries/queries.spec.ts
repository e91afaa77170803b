import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { openSqliteEventStore, type SqliteEventStore } from '@runtree/event-store';
import { openSqliteReadStore, type SqliteReadStore } from '@runtree/read-store';
import type { CollectResult } from '../api/model.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { EventScript } from '../projections/testing/event-script.js';
import { CollectQuery, CollectQueryHandler } from './collect.query.js';
import { ListChildrenQuery, ListChildrenQueryHandler } from './list-children.query.js';
import { StatusQuery, StatusQueryHandler } from './status.query.js';

describe('queries', () => {
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let runner: ProjectionRunner;
  let collect: (query: CollectQuery) => Promise<CollectResult>;

  // root ─┬─ a (delegated, with a step) ── a1
  //       └─ b
  // a's RunStarted lands after b's, and after the first events of the root.
  beforeAll(async () => {
    store = openSqliteEventStore({ path: ':memory:' });
    readStore = openSqliteReadStore({ path: ':memory:' });
    runner = new ProjectionRunner(store, readStore);
    runner.start();
    const script = new EventScript()
      .startRun('root', { metadata: { team: 't' } })
      .onRun('root', 'StepStarted', { stepId: 's1', name: 'plan', kind: 'llm' })
      .link('root', 'a', 0, { relation: 'delegated', task: { goal: 'g' } })
      .spawn('root', 'b', 1)
      .startChild('root', 'a', 0, { lineage: { parentRunId: 'root', relation: 'delegated', substrate: 'run', sequence: 0 } })
      .onRun('a', 'StepStarted', { stepId: 'sa', name: 'work', kind: 'tool' })
      .spawn('a', 'a1', 0)
      .onRun('b', 'RunCompleted', { output: 'b done' })
      .onRun('root', 'StepCompleted', { stepId: 's1' })
      .startRun('lonely');
    await runner.waitFor((await script.appendTo(store)).position);
    const handler = new CollectQueryHandler(readStore, store);
    collect = async (query) => {
      const result = await handler.execute(query);
      if (E.isLeft(result)) throw new Error(result.left.message);
      return result.right;
    };
  });

  afterAll(async () => {
    await runner.stop();
    await store.close();
    await readStore.close();
  });

  describe('collect', () => {
    it('gives the run, its children oldest first, its steps and its journal by default', async () => {
      const result = await collect(new CollectQuery('root'));
      expect(result.run).toMatchObject({ runId: 'root', status: 'running', metadata: { team: 't' } });
      expect(result.children.map((child) => [child.run.runId, child.relation])).toEqual([
        ['a', 'delegated'],
        ['b', 'spawned'],
      ]);
      expect(result.children[0].task).toEqual({ goal: 'g' });
      expect(result).not.toHaveProperty('link');
      expect(result).not.toHaveProperty('descendants');
      expect(result.steps?.map((step) => [step.stepId, step.status])).toEqual([['s1', 'completed']]);
      expect(result.journal?.map((entry) => entry.type)).toEqual(['RunStarted', 'StepStarted', 'ChildDelegated', 'ChildSpawned', 'StepCompleted']);
      expect(result.journal?.[0]).toEqual({
        eventId: expect.any(String),
        type: 'RunStarted',
        streamName: 'run-root',
        revision: '0',
        position: '1/1',
        data: { runId: 'root', kind: 'run', metadata: { team: 't' } },
        metadata: expect.objectContaining({ occurredAt: '2025-01-01T00:00:00.000Z' }),
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('gives descendants in depth-first pre-order and merges their journals in global order', async () => {
      const result = await collect(new CollectQuery('root', { includeDescendants: true }));
      expect(result.descendants?.map((child) => child.run.runId)).toEqual(['a', 'a1', 'b']);
      const positions = result.journal!.map((entry) => Number(entry.position.split('/')[0]));
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
      expect(new Set(result.journal!.map((entry) => entry.streamName))).toEqual(new Set(['run-root', 'run-a', 'run-a1', 'run-b']));
      expect(result.journal).toHaveLength(11);
    });

    it('gives the link of a child and leaves out what is not asked', async () => {
      const result = await collect(new CollectQuery('a1', { includeSteps: false, includeJournal: false }));
      expect(result.link).toMatchObject({ parentRunId: 'a', childRunId: 'a1', relation: 'spawned', sequence: 0 });
      expect(result).not.toHaveProperty('steps');
      expect(result).not.toHaveProperty('journal');
      expect((await collect(new CollectQuery('lonely'))).steps).toEqual([]);
    });

    it('answers not_found for an unknown run', async () => {
      const result = await new CollectQueryHandler(readStore, store).execute(new CollectQuery('nope'));
      expect(result).toEqual(E.left(expect.objectContaining({ code: 'not_found', details: { runId: 'nope' } })));
    });
  });

  describe('status', () => {
    it('counts steps and children of a root run', async () => {
      const result = await new StatusQueryHandler(readStore).execute(new StatusQuery('root'));
      expect(result).toEqual(
        E.right({
          run: expect.objectContaining({ runId: 'root' }),
          stepCount: 1,
          activeStepCount: 0,
          childCount: 2,
          activeChildCount: 1,
          awaitable: true,
        }),
      );
    });

    it('adds the lineage of a child, and is not awaitable once terminal', async () => {
      const delegated = await new StatusQueryHandler(readStore).execute(new StatusQuery('a'));
      expect(delegated).toEqual(
        E.right(
          expect.objectContaining({ relation: 'delegated', parentRunId: 'root', substrate: 'run', metadata: { caller: 'a' }, task: { goal: 'g' }, activeStepCount: 1 }),
        ),
      );
      expect(await new StatusQueryHandler(readStore).execute(new StatusQuery('b'))).toEqual(E.right(expect.objectContaining({ awaitable: false })));
      expect(await new StatusQueryHandler(readStore).execute(new StatusQuery('nope'))).toEqual(E.left(expect.objectContaining({ code: 'not_found' })));
    });
  });

  describe('listChildren', () => {
    it('lists direct children oldest first, [] when none, parent_not_found when unknown', async () => {
      const handler = new ListChildrenQueryHandler(readStore);
      const children = await handler.execute(new ListChildrenQuery('root'));
      expect(E.isRight(children) && children.right.map((child) => child.run.runId)).toEqual(['a', 'b']);
      expect(await handler.execute(new ListChildrenQuery('lonely'))).toEqual(E.right([]));
      expect(await handler.execute(new ListChildrenQuery('nope'))).toEqual(
        E.left(expect.objectContaining({ code: 'parent_not_found', details: { parentRunId: 'nope' } })),
      );
    });
  });
});
