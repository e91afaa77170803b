/**
 * DBOS Transact (durable workflows in PostgreSQL) running the orchestration workloads: a Runtree run
 * is a DBOS workflow, a child run a child workflow started from its parent workflow.
 */
import { randomBytes } from 'node:crypto';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { treeRuns } from '../orchestration/tree-shapes.js';
import { forEachConcurrently, range } from '../support/concurrently.js';
import { collectGarbage } from '../support/heap.js';
import { percentile, perSecond } from '../support/stats.js';
import type { BenchContext } from '../support/section.js';
import type { SectionRun } from '../support/section-run.js';
import { createBenchDatabase, type BenchDatabase } from './bench-database.js';
import { forgetTree, hold, heldRun, namedGate, planTree, release, spawner, treeNode, treeNodeId } from './dbos-workflows.js';
import { measureOrchestrationPeer, type OrchestrationPeer, type PeerTree } from './orchestration-peer.js';
import { ownedPgPool } from './owned-pg-pool.js';
import { packageVersion } from './package-version.js';

/** DBOS's default system-database pool size. */
const POOL_SIZE = 10;
/** getResult polls every second: 20 samples already take 20 s per run. */
const AWAIT_RUNS_CAP = 20;

interface DbosTree extends PeerTree {
  readonly treeId: string;
  readonly rootId: string;
}

export async function measureDbosPeer(context: BenchContext, run: SectionRun): Promise<void> {
  await withLaunchedDbos(
    async (database) => {
      context.progress(`DBOS ${packageVersion('@dbos-inc/dbos-sdk')} on PostgreSQL ${database.durability.serverVersion}, database ${database.name}`);
      await measureOrchestrationPeer(dbosPeer(), context, run);
    },
    (database) => run.notes.push(...describeDbos(database)),
    (errors) => run.notes.push(`DBOS: the pool's idle connections reported ${errors.length} error(s), the first: ${errors[0].message}`),
  );
}

/**
 * DBOS launched in this process on a database of its own (created, then dropped after `work`), on a
 * pool the bench owns: it has an 'error' listener, and it is ended before the database is dropped.
 */
export async function withLaunchedDbos<T>(
  work: (database: BenchDatabase) => Promise<T>,
  onDatabase: (database: BenchDatabase) => void = () => undefined,
  onIdleErrors: (errors: readonly Error[]) => void = () => undefined,
): Promise<T> {
  const database = await createBenchDatabase();
  const pool = ownedPgPool(database.connectionString, POOL_SIZE);
  try {
    onDatabase(database);
    DBOS.setConfig({ name: 'runtree-bench', systemDatabaseUrl: database.connectionString, systemDatabasePool: pool.pool, logLevel: 'error', runAdminServer: false });
    await DBOS.launch();
    try {
      return await work(database);
    } finally {
      await DBOS.shutdown();
    }
  } finally {
    await pool.end();
    await database.drop();
    if (pool.idleErrors.length > 0) onIdleErrors(pool.idleErrors);
  }
}

export function dbosPeer(): OrchestrationPeer<DbosTree> {
  return {
    name: 'DBOS',
    key: 'dbos',
    calls: { spawn: 'startWorkflow in the parent workflow', cancel: 'cancelWorkflow with cancelChildren', collect: 'listWorkflows by parentWorkflowID, level by level', await: 'getResult(id)' },
    // From the performance issue: cancel of the wide tree in at most half DBOS's time, the chain in no more.
    ratioTargets: { cancelWideTree: { kind: 'atMost', value: 0.5 }, cancelChainTree: { kind: 'atMost', value: 1 } },
    awaitRunsCap: AWAIT_RUNS_CAP,
    spawnRate,
    buildTree: async (shape) => {
      const treeId = `tree-${randomBytes(6).toString('hex')}`;
      const built = planTree(treeId, shape);
      const rootId = treeNodeId(treeId, 0, 0);
      hold(treeId, await DBOS.startWorkflow(treeNode, { workflowID: rootId })(treeId, 0, 0));
      await built.opened;
      return { shape, treeId, rootId };
    },
    cancelTree: async (tree) => {
      collectGarbage();
      const started = performance.now();
      await DBOS.cancelWorkflow(tree.rootId, { cancelChildren: true });
      const elapsed = performance.now() - started;
      const cancelled = await DBOS.listWorkflows({ workflow_id_prefix: `${tree.treeId}:`, status: 'CANCELLED', loadInput: false, loadOutput: false });
      if (cancelled.length !== treeRuns(tree.shape)) throw new Error(`DBOS cancelled ${cancelled.length} workflows, expected ${treeRuns(tree.shape)}`);
      await releaseTree(tree);
      return elapsed;
    },
    collectTree: async (tree) => (await timedCollect(tree, false)).elapsed,
    collectTreeWithSteps: async (tree) => (await timedCollect(tree, true)).elapsed,
    dropTree: releaseTree,
    awaitOneWaiter,
  };
}

async function spawnRate(callers: number, durationMs: number): Promise<number> {
  const startGateId = `start-${randomBytes(6).toString('hex')}`;
  const childGateId = `children-${startGateId}`;
  const parents = await Promise.all(range(callers).map(() => DBOS.startWorkflow(spawner)(startGateId, childGateId, durationMs)));
  await nextMacrotask();
  const started = performance.now();
  namedGate(startGateId).open();
  const spawned = (await Promise.all(parents.map((parent) => parent.getResult()))).reduce((total, count) => total + count, 0);
  const rate = perSecond(spawned, performance.now() - started);
  await release(childGateId);
  return rate;
}

/** The tree read back: the root, then each level's children by their parents' ids; optionally every run's steps. */
async function timedCollect(tree: DbosTree, withSteps: boolean): Promise<{ elapsed: number }> {
  collectGarbage();
  const started = performance.now();
  const workflows = await DBOS.listWorkflows({ workflowIDs: [tree.rootId] });
  for (let level = workflows.map((workflow) => workflow.workflowID); level.length > 0; ) {
    const children = await DBOS.listWorkflows({ parentWorkflowID: level });
    workflows.push(...children);
    level = children.map((child) => child.workflowID);
  }
  let steps = 0;
  if (withSteps) {
    await forEachConcurrently(workflows, POOL_SIZE, async (workflow) => {
      // Awaited first: `steps += await …` would read `steps` before the await and lose concurrent additions.
      const listed = (await DBOS.listWorkflowSteps(workflow.workflowID))?.length ?? 0;
      steps += listed;
    });
  }
  const elapsed = performance.now() - started;
  const runs = treeRuns(tree.shape);
  if (workflows.length !== runs) throw new Error(`DBOS listed ${workflows.length} workflows of the tree, expected ${runs}`);
  // Every node but the leaves recorded a step per child it started.
  if (withSteps && steps !== runs - 1) throw new Error(`DBOS listed ${steps} steps for the tree, expected ${runs - 1}`);
  return { elapsed };
}

async function releaseTree(tree: DbosTree): Promise<void> {
  await release(tree.treeId);
  forgetTree(tree.treeId);
}

/** Each run: a held workflow and one `DBOS.getResult(id)` waiting on it; ms from the workflow's recorded completion to the waiter's return. */
async function awaitOneWaiter(runs: number) {
  const latencies: number[] = [];
  for (const _ of range(runs)) {
    const gateId = `await-${randomBytes(6).toString('hex')}`;
    const handle = await DBOS.startWorkflow(heldRun)(gateId);
    hold(gateId, handle);
    const woken = DBOS.getResult(handle.workflowID).then(() => performance.now());
    await nextMacrotask();
    namedGate(gateId).open();
    // The starting process's handle resolves once DBOS has recorded the result.
    await handle.getResult();
    const completedAt = performance.now();
    latencies.push((await woken) - completedAt);
    await release(gateId);
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function describeDbos(database: BenchDatabase): string[] {
  const { durability } = database;
  return [
    `DBOS: @dbos-inc/dbos-sdk ${packageVersion('@dbos-inc/dbos-sdk')} in this process, its system database on PostgreSQL ${durability.serverVersion} here (database ${database.name}, created and dropped by the bench):` +
      ` fsync=${durability.fsync}, synchronous_commit=${durability.synchronousCommit}, wal_sync_method=${durability.walSyncMethod}; a pool of ${POOL_SIZE} connections.`,
    'DBOS: a run is a workflow held PENDING on an in-process gate; spawn starts a child workflow from inside its parent workflow (the callers are the parents);' +
      ' collect lists the root, then each level by parentWorkflowID (with steps: also listWorkflowSteps of every workflow); await times DBOS.getResult(id),' +
      ` which polls the database every second, from the starting handle's result to the waiter's (${AWAIT_RUNS_CAP} runs per run at most, so p99 is their maximum).`,
  ];
}
