/**
 * BullMQ flows (jobs with parent jobs, in Redis) running the orchestration workloads: a Runtree run is
 * a job left waiting (no worker takes it), a child run a job added with a parent.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { FlowProducer, Queue, QueueEvents, Worker, type ConnectionOptions, type FlowJob, type JobNode } from 'bullmq';
import { treeRuns, type TreeShape } from '../orchestration/tree-shapes.js';
import { forEachConcurrently, range } from '../support/concurrently.js';
import { collectGarbage } from '../support/heap.js';
import type { BenchContext } from '../support/section.js';
import type { SectionRun } from '../support/section-run.js';
import { percentile, perSecond } from '../support/stats.js';
import { DURABLE_REDIS_ARGS, startDurableRedis, type DurableRedis } from './durable-redis.js';
import { gate, type Gate } from './gate.js';
import { measureOrchestrationPeer, type OrchestrationPeer, type PeerTree } from './orchestration-peer.js';
import { packageVersion } from './package-version.js';

interface BullmqTree extends PeerTree {
  readonly queue: Queue;
  readonly rootId: string;
}

/** Every client's 'error' events, kept: an EventEmitter's 'error' with no listener ends the process. */
type ErrorLog = Error[];

export async function measureBullmqPeer(context: BenchContext, run: SectionRun): Promise<void> {
  const redis = await startDurableRedis(context.dataDir.path);
  const errors: ErrorLog = [];
  // maxRetriesPerRequest null: what BullMQ's workers require of their connection.
  const connection: ConnectionOptions = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
  const flows = listening(new FlowProducer({ connection }), errors);
  try {
    const settings = await redisSettings(redis);
    context.progress(`BullMQ ${packageVersion('bullmq')} on redis-server ${settings.version}, port ${redis.port}, appendfsync ${settings.appendfsync}`);
    run.notes.push(
      `BullMQ: bullmq ${packageVersion('bullmq')} on a redis-server ${settings.version} the bench started for this run (port ${redis.port}, its files under the data directory, stopped and removed after):` +
        ` appendonly=${settings.appendonly}, appendfsync=${settings.appendfsync}, save="${settings.save}" (${DURABLE_REDIS_ARGS.join(' ')}): each write is fsync'd before Redis replies.`,
      "BullMQ: a run is a job no worker takes; spawn is Queue.add with the caller's own parent job (made by FlowProducer with one child); a tree is one FlowProducer.add;" +
        ' cancel is Queue.remove of the root with removeChildren (BullMQ has no cancel); collect is FlowProducer.getFlow of the whole tree; await is job.waitUntilFinished' +
        " (QueueEvents) of a job a worker completes, timed from the worker's 'completed' event (that reply and the waiter's event come back from Redis on different" +
        ' connections, so a latency below 0 means the waiter heard first). Its flow logic runs inside Redis as Lua scripts, one round trip per call.',
    );
    await measureOrchestrationPeer(bullmqPeer(connection, flows, errors), context, run);
  } finally {
    await flows.close();
    await redis.stop();
    if (errors.length > 0) run.notes.push(`BullMQ: its clients reported ${errors.length} error(s), the first: ${errors[0].message}`);
  }
}

export function bullmqPeer(connection: ConnectionOptions, flows: FlowProducer, errors: ErrorLog): OrchestrationPeer<BullmqTree> {
  const newQueue = (purpose: string) => listening(new Queue(`${purpose}-${randomBytes(6).toString('hex')}`, { connection }), errors);
  return {
    name: 'BullMQ',
    key: 'bullmq',
    calls: { spawn: 'Queue.add with a parent', cancel: 'Queue.remove with removeChildren', collect: 'FlowProducer.getFlow', await: 'waitUntilFinished' },
    // From the performance issue: Runtree's spawns with 64 callers at least BullMQ's on durable Redis.
    ratioTargets: { spawnConcurrent: { kind: 'atLeast', value: 1 } },
    spawnRate: async (callers, durationMs) => {
      const queue = newQueue('spawn');
      try {
        const parents: string[] = [];
        for (const _ of range(callers)) parents.push(jobId(await flows.add({ name: 'parent', queueName: queue.name, children: [{ name: 'first', queueName: queue.name }] })));
        const parentQueue = queue.qualifiedName;
        let created = 0;
        const started = performance.now();
        const deadline = started + durationMs;
        await forEachConcurrently(parents, callers, async (parentId) => {
          while (performance.now() < deadline) {
            await queue.add('child', {}, { parent: { id: parentId, queue: parentQueue } });
            created += 1;
          }
        });
        return perSecond(created, performance.now() - started);
      } finally {
        await drop(queue);
      }
    },
    buildTree: async (shape) => {
      const queue = newQueue('tree');
      try {
        return { shape, queue, rootId: jobId(await flows.add(flowOf(shape, queue.name))) };
      } catch (error) {
        await drop(queue);
        throw error;
      }
    },
    cancelTree: async (tree) => {
      try {
        collectGarbage();
        const started = performance.now();
        const removed = await tree.queue.remove(tree.rootId, { removeChildren: true });
        const elapsed = performance.now() - started;
        const left = Object.values(await tree.queue.getJobCounts()).reduce((total, count) => total + count, 0);
        if (removed !== 1 || left !== 0) throw new Error(`BullMQ removed ${removed} root job(s) and left ${left} of the tree's ${treeRuns(tree.shape)} jobs`);
        return elapsed;
      } finally {
        await drop(tree.queue);
      }
    },
    collectTree: async (tree) => {
      collectGarbage();
      const started = performance.now();
      const flow = await flows.getFlow({ id: tree.rootId, queueName: tree.queue.name, depth: tree.shape.length + 1, maxChildren: treeRuns(tree.shape) });
      const elapsed = performance.now() - started;
      const listed = countJobs(flow);
      if (listed !== treeRuns(tree.shape)) throw new Error(`BullMQ's getFlow returned ${listed} jobs, expected ${treeRuns(tree.shape)}`);
      return elapsed;
    },
    dropTree: (tree) => drop(tree.queue),
    awaitOneWaiter: (runs) => awaitOneWaiter(newQueue('await'), connection, errors, runs),
  };
}

/** The tree as one flow: each node a job whose children are the next level's nodes under it. */
function flowOf(shape: TreeShape, queueName: string): FlowJob {
  const levels: FlowJob[][] = [[{ name: 'node', queueName, children: [] }]];
  shape.forEach((level, above) => {
    levels.push(
      level.map((parent) => {
        const node: FlowJob = { name: 'node', queueName, children: [] };
        levels[above][parent].children!.push(node);
        return node;
      }),
    );
  });
  return levels[0][0];
}

function countJobs(node: JobNode): number {
  return 1 + (node.children ?? []).reduce((total, child) => total + countJobs(child), 0);
}

function jobId(node: JobNode): string {
  if (node.job.id === undefined) throw new Error('BullMQ returned a job without an id');
  return node.job.id;
}

/** One worker (concurrency 1) completes each job when the bench opens its gate; the waiter is `waitUntilFinished`. */
async function awaitOneWaiter(queue: Queue, connection: ConnectionOptions, errors: ErrorLog, runs: number) {
  const held = new Map<string, { readonly taken: Gate; readonly release: Gate; readonly completed: Gate; completedAt: number }>();
  const events = listening(new QueueEvents(queue.name, { connection }), errors);
  const worker = listening(new Worker(queue.name, async (job) => {
    const entry = held.get(job.id!)!;
    entry.taken.open();
    await entry.release.opened;
  }, { connection, concurrency: 1 }), errors);
  worker.on('completed', (job) => {
    const entry = held.get(job.id!);
    if (entry === undefined) return;
    entry.completedAt = performance.now();
    entry.completed.open();
  });
  try {
    await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);
    const latencies: number[] = [];
    for (const _ of range(runs)) {
      // Prefixed: BullMQ refuses a custom id that reads as an integer, which a hex string sometimes does.
      const id = `run-${randomBytes(8).toString('hex')}`;
      const entry = { taken: gate(), release: gate(), completed: gate(), completedAt: 0 };
      held.set(id, entry);
      const job = await queue.add('run', {}, { jobId: id });
      const woken = job.waitUntilFinished(events).then(() => performance.now());
      await entry.taken.opened;
      entry.release.open();
      const [wokenAt] = await Promise.all([woken, entry.completed.opened]);
      latencies.push(wokenAt - entry.completedAt);
      held.delete(id);
    }
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    await worker.close();
    await events.close();
    await drop(queue);
  }
}

/** The server's version and durability settings, read over a plain client (BullMQ's own clients expose no CONFIG). */
async function redisSettings(redis: DurableRedis) {
  const client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const setting = async (name: string) => ((await client.config('GET', name)) as string[])[1] ?? 'unknown';
    return {
      version: /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown',
      appendonly: await setting('appendonly'),
      appendfsync: await setting('appendfsync'),
      save: await setting('save'),
    };
  } finally {
    client.disconnect();
  }
}

async function drop(queue: Queue): Promise<void> {
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

function listening<Client extends { on(event: 'error', listener: (error: Error) => void): unknown }>(client: Client, errors: ErrorLog): Client {
  client.on('error', (error) => errors.push(error));
  return client;
}
