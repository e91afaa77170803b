import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killProcess, serviceEnv, startUpOutput } from '../../test/e2e/process/service-process.js';

/** The service as `npm run build:bench` compiles it beside the bench (dist-bench/apps/...). */
export const SERVICE_MAIN = fileURLToPath(new URL('../../apps/runtree/src/main.js', import.meta.url));

export interface ServiceProcess {
  readonly baseUrl: string;
  /** Kills the process (SIGKILL: the bench keeps nothing it wrote). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs the built service as `node main.js` on `sqlitePath` in a child process, so load generated
 * in this process does not share the service's event loop. `settings` are further Runtree
 * variables (brokers); resolves once the service prints its listening line.
 */
export async function startServiceProcess(sqlitePath: string, settings: Readonly<Record<string, string>> = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [SERVICE_MAIN], { env: { ...serviceEnv(sqlitePath), ...settings }, stdio: ['ignore', 'pipe', 'pipe'] });
  // If the bench dies without stopping it, the service must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await killProcess(child);
  };
  try {
    return { baseUrl: (await startUpOutput(child)).baseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
