import { describe, expect, it } from '@jest/globals';
import { createBenchDatabase } from './bench-database.js';
import { openEmmettStore } from './emmett-scenarios.js';

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Emmett's store in the bench", () => {
  // The quick bench once died here: DROP DATABASE … WITH (FORCE) ended a pool's idle connections, and
  // the pool's 'error' event had no listener. Needs the PostgreSQL of RUNTREE_BENCH_POSTGRES_URL: fails, never skips, without it.
  it('survives its database being dropped under idle pooled connections, and still closes', async () => {
    const database = await createBenchDatabase();
    const emmett = await openEmmettStore(database.connectionString);
    await emmett.store.appendToStream('bench-drop', [{ type: 'Dropped', data: { n: 1 } }], { expectedStreamVersion: 0n });
    expect(emmett.pgPool.pool.idleCount).toBeGreaterThan(0);

    await database.drop();
    await eventually(() => emmett.pgPool.idleErrors.length > 0);

    expect(emmett.pgPool.idleErrors[0].message).toMatch(/terminating connection due to administrator command/);
    await expect(emmett.close()).resolves.toBeUndefined();
  });
});
