import { rmSync } from 'node:fs';
import { siblingReadStorePath } from '@runtree/orchestration';
import type { DataDir } from './data-dir.js';

/** Removes a SQLite journal with its WAL and shared-memory files, and the read store beside it. */
export function removeSqliteFiles(path: string): void {
  for (const file of [path, siblingReadStorePath(path)]) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

/** Runs `run` on a new store file, removed afterwards so runs do not fill the disk. */
export async function inFreshSqliteFile<T>(dataDir: DataDir, name: string, run: (path: string) => Promise<T>): Promise<T> {
  const path = dataDir.freshFile(`${name}.sqlite`);
  try {
    return await run(path);
  } finally {
    removeSqliteFiles(path);
  }
}
