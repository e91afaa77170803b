import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FlowProducer, type ConnectionOptions } from 'bullmq';
import { chainTree, wideTree } from '../orchestration/tree-shapes.js';
import { bullmqPeer } from './bullmq-peer.js';
import { startDurableRedis, type DurableRedis } from './durable-redis.js';

// Needs redis-server (REDIS_SERVER_BIN or PATH): fails, never skips, without it.
describe('BullMQ as a peer, on a durable Redis of its own', () => {
  const parent = mkdtempSync(join(tmpdir(), 'runtree-bullmq-spec-'));
  const errors: Error[] = [];
  let redis: DurableRedis;
  let connection: ConnectionOptions;
  let flows: FlowProducer;

  beforeAll(async () => {
    redis = await startDurableRedis(parent);
    connection = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
    flows = new FlowProducer({ connection });
  });
  afterAll(async () => {
    await flows.close();
    await redis.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it('collects a whole tree, then removes it with every descendant', async () => {
    const peer = bullmqPeer(connection, flows, errors);
    const tree = await peer.buildTree(wideTree(120, 3), 4);

    expect(await peer.collectTree(tree)).toBeGreaterThan(0);
    expect(await tree.queue.getJobCountByTypes('waiting-children', 'wait')).toBe(120);
    expect(await peer.cancelTree(tree)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('removes a deep chain', async () => {
    const peer = bullmqPeer(connection, flows, errors);
    expect(await peer.cancelTree(await peer.buildTree(chainTree(150, 100), 4))).toBeGreaterThan(0);
  });

  it('spawns children under existing parents and times waiters woken by a worker', async () => {
    const peer = bullmqPeer(connection, flows, errors);
    expect(await peer.spawnRate(2, 100)).toBeGreaterThan(0);
    const latencies = await peer.awaitOneWaiter(5);
    expect(latencies.p99).toBeGreaterThanOrEqual(latencies.p50);
    expect(latencies.p99).toBeLessThan(1000);
    expect(errors).toEqual([]);
  });
});
