import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { RecoveryReport } from '../../../libs/orchestration/src/processes/startup-recovery.js';
import { ensureBuilt } from '../../support/build-once.js';
import { TEST_ADMIN_TOKEN } from './runtree-client.js';

const repo = resolve(import.meta.dirname, '../../..');
/**
 * The service is built into its own folder (see tsconfig.service.json): `nest build runtree` into
 * dist/ would first delete dist/, and with it the CLI that test/cli runs from other workers.
 */
export const SERVICE_MAIN = join(repo, 'dist/e2e-process/apps/runtree/src/main.js');
/** Anywhere in the message: a pretty line has the time and level before it. */
const LISTENING = /Runtree listening on (http:\/\/[^\s"]+)/;

/** What an output line says: a JSON log line's `msg`, or the line itself (pretty logs, console lines). */
export function messageOf(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : line;
  } catch {
    return line;
  }
}

/** The base URL from the service's listening line, if `line` is that line. */
export function listeningUrlOf(line: string): string | undefined {
  return LISTENING.exec(messageOf(line))?.[1];
}
/** Start-up recovery's log line, printed only when it repaired something. */
const RECOVERED = /Recovered after restart: (\{[^}]*\})/;
/** Start-up takes 2 s on an idle 2-core machine, and over 10 s when it is badly overloaded. */
const START_TIMEOUT_MS = 60_000;
/** Lines of output kept to explain a service that would not start. */
const KEPT_LINES = 20;

/** Builds the service from the current sources unless the build there is newer; every spec that runs it shares the one build. */
export function buildService(): Promise<void> {
  return ensureBuilt({
    name: 'service',
    command: ['nest', 'build', 'runtree', '-p', 'test/e2e/process/tsconfig.service.json'],
    main: SERVICE_MAIN,
    sources: ['apps/runtree/src', 'libs/journal-audit/src', 'libs/orchestration/src', 'libs/event-store/src', 'libs/read-store/src'],
  });
}

export interface ServiceProcess {
  readonly baseUrl: string;
  /** What start-up recovery repaired before the process served (all zero when nothing was left unfinished). */
  readonly recovered: RecoveryReport;
  /** SIGKILL, as a crash or an OOM killer would: no shutdown hook runs. Resolves once the process is gone. */
  kill(): Promise<void>;
}

/** The environment without the caller's Runtree settings (a broker URL would make the service dial it). */
export function serviceEnv(sqlitePath: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('RUNTREE_') && key !== 'EVENTSTORE_CONNECTION_STRING'));
  // NODE_OPTIONS is jest's (--experimental-vm-modules), not the service's.
  return { ...inherited, NODE_OPTIONS: '', RUNTREE_SQLITE_PATH: sqlitePath, RUNTREE_HTTP_PORT: '0', RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
}

export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/**
 * The built service run as `node main.js` on one SQLite file that outlives its processes. Whatever a
 * test does, `dispose()` kills every process still alive and deletes the file.
 */
export class ServiceHost {
  private readonly children = new Set<ChildProcess>();
  private disposed = false;

  private constructor(private readonly directory: string) {}

  static async create(): Promise<ServiceHost> {
    return new ServiceHost(await mkdtemp(join(tmpdir(), 'runtree-process-')));
  }

  get sqlitePath(): string {
    return join(this.directory, 'runtree.sqlite');
  }

  /** Starts a process and resolves once it prints its listening line (it serves nothing before recovery is done). */
  async start(): Promise<ServiceProcess> {
    // A test that timed out goes on in the background: it must not start a service on a deleted file and misread it.
    if (this.disposed) throw new Error('this host was disposed: its SQLite file is gone');
    const child = spawn(process.execPath, [SERVICE_MAIN], { cwd: repo, env: serviceEnv(this.sqlitePath), stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const { baseUrl, recovered } = await startUpOutput(child);
    return { baseUrl, recovered, kill: () => killProcess(child) };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.children].map(killProcess));
    await rm(this.directory, { recursive: true, force: true });
  }
}

const NOTHING_RECOVERED: RecoveryReport = { childrenMaterialized: 0, cancellationsFinished: 0, sessionsClosed: 0 };

/**
 * The URL from the listening line and the recovery report printed before it; output is read to the
 * end so the process never blocks on a full pipe.
 */
export function startUpOutput(child: ChildProcess): Promise<{ baseUrl: string; recovered: RecoveryReport }> {
  const lastLines: string[] = [];
  let recovered = NOTHING_RECOVERED;
  const keep = (line: string) => {
    if (lastLines.push(line) > KEPT_LINES) lastLines.shift();
  };
  return new Promise((resolveUrl, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void killProcess(child);
      reject(new Error(`the service ${why}; its last output:\n${lastLines.join('\n')}`));
    };
    const failOnExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (${signal ?? code}) before listening`);
    const timer = setTimeout(() => fail(`printed no listening line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('exit', failOnExit);
    createInterface({ input: child.stderr! }).on('line', keep);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      const report = RECOVERED.exec(messageOf(line))?.[1];
      if (report !== undefined) recovered = JSON.parse(report) as RecoveryReport;
      const url = listeningUrlOf(line);
      if (url === undefined) return;
      clearTimeout(timer);
      child.off('exit', failOnExit);
      resolveUrl({ baseUrl: url, recovered });
    });
  });
}

/** A service started with settings of its own, every output line kept. */
export interface RunningService {
  readonly baseUrl: string;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly child: ChildProcess;
}

export async function startServiceWith(directory: string, env: NodeJS.ProcessEnv): Promise<RunningService> {
  const child = spawn(process.execPath, [SERVICE_MAIN], { env: { ...serviceEnv(join(directory, 'runtree.db')), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void killProcess(child);
      reject(new Error(`no listening line within ${START_TIMEOUT_MS} ms:\n${stdout.join('\n')}\n${stderr.join('\n')}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`the service exited (${code}):\n${stdout.join('\n')}\n${stderr.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      const url = listeningUrlOf(line);
      if (url === undefined) return;
      clearTimeout(timer);
      resolve(url);
    });
  });
  return { baseUrl, stdout, stderr, child };
}
