import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binary; `NATS_SERVER_BIN` overrides the one on PATH. */
const natsServerBinary = process.env.NATS_SERVER_BIN ?? 'nats-server';
/** Start-up is a few ms here; a loaded CI runner gets ample room. */
const READY_TIMEOUT_MS = 15_000;

/** A NATS server of the test's own, with JetStream and a store directory, that it may kill and start again. */
export interface PrivateNatsServer {
  readonly url: string;
  /** SIGKILL, as a crash: its clients lose their connection at once. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same store (JetStream keeps its streams). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Whether `nats-server` can be run. On CI a missing binary fails the suite (it must not pass by
 * skipping); elsewhere the suite is skipped with a warning.
 */
export function natsServerAvailable(): boolean {
  if (spawnSync(natsServerBinary, ['--version']).status === 0) return true;
  const message = `This test needs the ${natsServerBinary} binary (NATS_SERVER_BIN, or on PATH; see shared/notes/stack.md, "Brokers on this machine")`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`${message}: skipped`);
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function exited(process: ChildProcess): Promise<void> {
  return process.exitCode !== null || process.signalCode !== null ? Promise.resolve() : new Promise((resolve) => process.once('exit', () => resolve()));
}

export async function startPrivateNatsServer(): Promise<PrivateNatsServer> {
  const storeDirectory = mkdtempSync(join(tmpdir(), 'runtree-nats-'));
  const port = await freePort();
  let server: ChildProcess | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(natsServerBinary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDirectory], { stdio: ['ignore', 'ignore', 'pipe'] });
      server = child;
      let log = '';
      const timer = setTimeout(() => fail(new Error(`nats-server was not ready within ${READY_TIMEOUT_MS} ms:\n${log}`)), READY_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      child.once('error', fail);
      child.once('exit', (code) => fail(new Error(`nats-server exited (${code}) before it was ready:\n${log}`)));
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (!log.includes('Server is ready')) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stderr!.removeAllListeners('data').resume();
        resolve();
      });
    });

  const kill = async () => {
    const running = server;
    server = undefined;
    if (running === undefined) return;
    running.kill('SIGKILL');
    await exited(running);
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    kill,
    start,
    stop: async () => {
      await kill();
      rmSync(storeDirectory, { recursive: true, force: true });
    },
  };
}
