import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The binary; `REDIS_SERVER_BIN` overrides the one on PATH. */
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const READY_TIMEOUT_MS = 15_000;

/**
 * Every write appended to the AOF and fsync'd before the reply, no RDB snapshots: as durable as
 * Redis gets. The machine's own Redis keeps nothing on disk, so the bench never measures on it.
 */
export const DURABLE_REDIS_ARGS = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''] as const;

/** A redis-server of the bench's own, on a free port, its files in a directory of its own. */
export interface DurableRedis {
  readonly host: string;
  readonly port: number;
  readonly directory: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server under `parentDirectory`; fails with a message naming the binary when it cannot. */
export async function startDurableRedis(parentDirectory: string): Promise<DurableRedis> {
  const directory = mkdtempSync(join(parentDirectory, 'redis-'));
  const port = await freePort();
  let server: ChildProcess;
  try {
    server = await startServer(['--bind', '127.0.0.1', '--port', String(port), '--dir', directory, ...DURABLE_REDIS_ARGS]);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    directory,
    stop: () =>
      (stopped ??= (async () => {
        await terminate(server);
        rmSync(directory, { recursive: true, force: true });
      })()),
  };
}

function startServer(args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`${REDIS_SERVER} was not ready within ${READY_TIMEOUT_MS} ms:\n${log}`)), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(new Error(`could not run ${REDIS_SERVER} (set REDIS_SERVER_BIN, or put it on PATH): ${error.message}`, { cause: error })));
    child.once('exit', (code) => fail(new Error(`${REDIS_SERVER} exited (${code}) before it was ready:\n${log}`)));
    const onOutput = (chunk: Buffer) => {
      log += chunk.toString();
      if (!log.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data').resume();
      child.stderr!.removeAllListeners('data').resume();
      resolve(child);
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = (probe.address() as AddressInfo);
      probe.close(() => resolve(port));
    });
  });
}
