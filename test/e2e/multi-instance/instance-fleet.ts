import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_ADMIN_TOKEN } from '../process/runtree-client.js';
import { killProcess, SERVICE_MAIN, startUpOutput } from '../process/service-process.js';

export { buildService } from '../process/service-process.js';

const repo = resolve(import.meta.dirname, '../../..');

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
  private disposed = false;

  constructor(private readonly stores: SharedStores) {}

  /** Starts the instance of `slot` and resolves with its base URL once it prints its listening line. */
  async start(slot: number): Promise<string> {
    if (this.disposed) throw new Error('this fleet was disposed');
    if (this.processes.has(slot)) throw new Error(`instance ${slot} is already running`);
    const child = spawn(process.execPath, [SERVICE_MAIN], { cwd: repo, env: instanceEnv(this.stores), stdio: ['ignore', 'pipe', 'pipe'] });
    this.processes.set(slot, child);
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

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.processes.values()].map(killProcess));
  }
}
