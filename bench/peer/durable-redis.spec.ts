import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startDurableRedis } from './durable-redis.js';

const parent = mkdtempSync(join(tmpdir(), 'runtree-redis-spec-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

// Needs redis-server (REDIS_SERVER_BIN or PATH): fails, never skips, without it.
describe("the bench's own Redis", () => {
  it('fsyncs every write to its append-only file in its own directory, and is gone after stop', async () => {
    const redis = await startDurableRedis(parent);
    const client = new Redis({ host: redis.host, port: redis.port });
    try {
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
      expect(redis.port).not.toBe(6379);
      await client.set('written', '1');
      expect(readdirSync(redis.directory).join(' ')).toMatch(/appendonly/);
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(existsSync(redis.directory)).toBe(false);
    expect(await refusesConnections(redis.port)).toBe(true);
  });
});
