import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { perSecond } from './stats.js';

export interface FsyncRateOptions {
  /** The directory whose disk is measured: the benchmark's data directory. */
  readonly directory: string;
  readonly durationMs: number;
  readonly writeBytes: number;
}

/**
 * The disk's limit for durable commits: appends `writeBytes` to a file and fsyncs, for
 * `durationMs`, and returns fsync'd writes per second. A store that commits one write per
 * fsync cannot go faster; only group commit (many writes per fsync) can.
 */
export function measureFsyncRate(options: FsyncRateOptions): number {
  const path = join(options.directory, `fsync-probe-${process.pid}.bin`);
  const chunk = Buffer.alloc(options.writeBytes, 'x');
  const fd = openSync(path, 'w');
  try {
    let writes = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < options.durationMs) {
      writeSync(fd, chunk);
      fsyncSync(fd);
      writes += 1;
      elapsed = performance.now() - started;
    }
    return perSecond(writes, elapsed);
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}
