import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { killProcess, listeningUrlOf, serviceEnv } from '../../test/e2e/process/service-process.js';
import { SERVICE_MAIN } from '../service/service-process.js';
import { MEMORY_SIGNAL, parseMemoryLine } from './memory-line.js';

const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.js', import.meta.url));
/** Lines of output kept to explain a service that would not start or stop. */
const KEPT_LINES = 20;
const STOP_TIMEOUT_MS = 60_000;
const MEMORY_TIMEOUT_MS = 30_000;

export interface ServiceChildOptions {
  /** How long the start may take: a first start projects the whole log. */
  readonly readyTimeoutMs: number;
  /** Preload the memory probe (and expose gc) so `memory()` can be read. */
  readonly memoryProbe?: boolean;
}

/** The built service in a child process, on a journal that outlives it. */
export interface ServiceChild {
  readonly baseUrl: string;
  /** From spawning the process to its listening line (printed once the read models caught up and recovery is done). */
  readonly readyMs: number;
  /** The service's memory after a full gc, from the memory probe. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** SIGTERM, as an orchestrator stops a service; resolves once it exited, rejects if it did not within a minute. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
  kill(): Promise<void>;
  /** How the process ended (`exited with SIGABRT`), or undefined while it runs. */
  exitStatus(): string | undefined;
  /** Its last lines of output, to explain a failure. */
  lastOutput(): string;
}

/** Starts `node [probe] main.js` on the journal at `sqlitePath` (its read store beside it) and resolves once it is ready. */
export async function startServiceChild(sqlitePath: string, options: ServiceChildOptions): Promise<ServiceChild> {
  const nodeArgs = options.memoryProbe === true ? ['--expose-gc', '--import', pathToFileURL(MEMORY_PROBE).href] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, SERVICE_MAIN], { env: serviceEnv(sqlitePath), stdio: ['ignore', 'pipe', 'pipe'] });
  // If the bench dies without stopping it, the service must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const output = new ChildOutput(child);
  try {
    const baseUrl = await output.listening(options.readyTimeoutMs);
    return {
      baseUrl,
      readyMs: performance.now() - started,
      memory: () => output.memory(),
      stop: () => stopGracefully(child, output),
      kill: () => killProcess(child),
      exitStatus: () => (child.exitCode === null && child.signalCode === null ? undefined : `exited with ${child.signalCode ?? child.exitCode}`),
      lastOutput: () => output.lastLines(),
    };
  } catch (error) {
    await killProcess(child);
    throw error;
  }
}

async function stopGracefully(child: ChildProcess, output: ChildOutput): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service had already exited (${child.signalCode ?? child.exitCode})`);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)));
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await killProcess(child);
    throw new Error(`the service did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM; its last output:\n${output.lastLines()}`);
  }
  const [code, signal] = outcome;
  // Nest's shutdown hook closes the app, then re-raises the signal.
  if (!(signal === 'SIGTERM' || code === 0)) throw new Error(`the service exited with ${signal ?? code} on SIGTERM; its last output:\n${output.lastLines()}`);
}

/** Reads the child's output to the end (so it never blocks on a full pipe): its listening line, its memory lines, its last lines. */
class ChildOutput {
  private readonly kept: string[] = [];
  private readonly memoryWaiters: ((usage: NodeJS.MemoryUsage) => void)[] = [];
  private url: string | undefined;
  private onUrl: ((url: string) => void) | undefined;

  constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stderr! }).on('line', (line) => this.keep(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const usage = parseMemoryLine(line);
      if (usage !== undefined) {
        this.memoryWaiters.shift()?.(usage);
        return;
      }
      this.keep(line);
      const url = listeningUrlOf(line);
      if (url !== undefined && this.url === undefined) {
        this.url = url;
        this.onUrl?.(url);
      }
    });
  }

  lastLines(): string {
    return this.kept.join('\n');
  }

  listening(timeoutMs: number): Promise<string> {
    return this.within(timeoutMs, 'printed no listening line', (resolve) => {
      if (this.url !== undefined) resolve(this.url);
      else this.onUrl = resolve;
    });
  }

  memory(): Promise<NodeJS.MemoryUsage> {
    return this.within(MEMORY_TIMEOUT_MS, 'printed no memory line', (resolve) => {
      this.memoryWaiters.push(resolve);
      this.child.kill(MEMORY_SIGNAL);
    });
  }

  /** What `wait` resolves with, or a rejection naming what did not happen when the process exits or the time is up. */
  private within<T>(timeoutMs: number, what: string, wait: (resolve: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        reject(new Error(`the service had exited (${this.child.signalCode ?? this.child.exitCode}) and ${what}; its last output:\n${this.lastLines()}`));
        return;
      }
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`the service ${why}; its last output:\n${this.lastLines()}`));
      };
      const failOnExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (${signal ?? code}) and ${what}`);
      const timer = setTimeout(() => {
        this.child.off('exit', failOnExit);
        fail(`${what} within ${timeoutMs} ms`);
      }, timeoutMs);
      this.child.once('exit', failOnExit);
      wait((value) => {
        clearTimeout(timer);
        this.child.off('exit', failOnExit);
        resolve(value);
      });
    });
  }

  private keep(line: string): void {
    if (this.kept.push(line) > KEPT_LINES) this.kept.shift();
  }
}
