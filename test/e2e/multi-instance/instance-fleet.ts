import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { killProcess, startUpOutput } from '../process/service-process.js';
import { TEST_ADMIN_TOKEN } from '../process/runtree-client.js';

const repo = resolve(import.meta.dirname, '../../..');

/**
 * Where a spec builds the service: a folder of its own for each spec that builds, since two builds
 * into one folder at once, from two jest workers, would collide (the SIGKILL spec builds into
 * dist/e2e-process).
 */
export interface ServiceBuild {
  /** Relative to the repository; its outDir is `outDir`. */
  readonly tsconfig: string;
  readonly outDir: string;
}

export const MULTI_INSTANCE_BUILD: ServiceBuild = { tsconfig: 'test/e2e/multi-instance/tsconfig.service.json', outDir: 'dist/e2e-multi-instance' };

/** Builds the service from the current sources into the build's folder. */
export async function buildService(build: ServiceBuild): Promise<void> {
  await promisify(execFile)('npx', ['nest', 'build', 'runtree', '-p', build.tsconfig], { cwd: repo });
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
  private disposed = false;

  constructor(
    private readonly build: ServiceBuild,
    private readonly stores: SharedStores,
  ) {}

  /** Starts the instance of `slot` and resolves with its base URL once it prints its listening line. */
  async start(slot: number): Promise<string> {
    if (this.disposed) throw new Error('this fleet was disposed');
    if (this.processes.has(slot)) throw new Error(`instance ${slot} is already running`);
    const child = spawn(process.execPath, [join(repo, this.build.outDir, 'apps/runtree/src/main.js')], { cwd: repo, env: instanceEnv(this.stores), stdio: ['ignore', 'pipe', 'pipe'] });
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
