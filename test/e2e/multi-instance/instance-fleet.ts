import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_ADMIN_TOKEN } from '../process/runtree-client.js';
import { killProcess, SERVICE_MAIN, startUpOutput } from '../process/service-process.js';

export { buildService } from '../process/service-process.js';

const repo = resolve(import.meta.dirname, '../../..');
/** Warnings and errors kept per started instance, to explain a failure after the fact. */
const KEPT_WARNINGS = 40;
/** The service's JSON log levels that explain a failure. */
const WARNING_LEVELS = new Set(['warn', 'error', 'fatal']);

/** Whether an output line is a warning or worse: a JSON log line at warn or above, or any line that is not JSON. */
function isWarning(line: string): boolean {
  try {
    return WARNING_LEVELS.has(String((JSON.parse(line) as { level?: unknown }).level));
  } catch {
    return true;
  }
}

/** The journal and the read side every instance of the fleet shares. */
export interface SharedStores {
  readonly eventStoreConnectionString: string;
  readonly postgresUrl: string;
}

/** The environment of one instance: the caller's, without its Runtree settings, and the shared stores. */
function instanceEnv(stores: SharedStores): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('RUNTREE_') && key !== 'EVENTSTORE_CONNECTION_STRING'));
  return {
    ...inherited,
    // NODE_OPTIONS is jest's (--experimental-vm-modules), not the service's.
    NODE_OPTIONS: '',
    RUNTREE_STORE: 'esdb',
    EVENTSTORE_CONNECTION_STRING: stores.eventStoreConnectionString,
    RUNTREE_READ_STORE: 'postgres',
    RUNTREE_POSTGRES_URL: stores.postgresUrl,
    RUNTREE_HTTP_PORT: '0',
    RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  };
}

/**
 * Instances of the built service, each a `node main.js` child process on the same stores, by slot
 * number. Whatever a test does, `dispose()` kills every process still alive.
 */
export class InstanceFleet {
  private readonly processes = new Map<number, ChildProcess>();
  /** Each start's warnings, oldest start first: a killed instance's stay beside its restart's. */
  private readonly warnings: { readonly slot: number; readonly start: number; readonly lines: string[] }[] = [];
  private disposed = false;

  constructor(private readonly stores: SharedStores) {}

  /** Starts the instance of `slot` and resolves with its base URL once it prints its listening line. */
  async start(slot: number): Promise<string> {
    if (this.disposed) throw new Error('this fleet was disposed');
    if (this.processes.has(slot)) throw new Error(`instance ${slot} is already running`);
    const child = spawn(process.execPath, [SERVICE_MAIN], { cwd: repo, env: instanceEnv(this.stores), stdio: ['ignore', 'pipe', 'pipe'] });
    this.processes.set(slot, child);
    const warnings = { slot, start: this.warnings.filter((entry) => entry.slot === slot).length + 1, lines: [] as string[] };
    this.warnings.push(warnings);
    const keep = (line: string) => {
      if (isWarning(line) && warnings.lines.push(line) > KEPT_WARNINGS) warnings.lines.shift();
    };
    createInterface({ input: child.stdout! }).on('line', keep);
    createInterface({ input: child.stderr! }).on('line', keep);
    child.once('exit', () => {
      if (this.processes.get(slot) === child) this.processes.delete(slot);
    });
    return (await startUpOutput(child)).baseUrl;
  }

  /** SIGKILL: no shutdown hook runs, the process's connections close as the kernel drops them. */
  kill(slot: number): Promise<void> {
    const child = this.processes.get(slot);
    if (child === undefined) throw new Error(`instance ${slot} is not running`);
    return killProcess(child);
  }

  /** Runs `work`; its failure carries every instance's last warnings, the only record of what the instances saw. */
  async explainingFailures<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Error) {
        const logs = this.warnings.map(({ slot, start, lines }) => `--- instance ${slot}, start ${start}: ${lines.length === 0 ? 'no warnings' : `last warnings:\n${lines.join('\n')}`}`);
        error.message += `\n${logs.join('\n')}`;
      }
      throw error;
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.processes.values()].map(killProcess));
  }
}
