import { Catch, Module, type ArgumentsHost, type ExceptionFilter, type INestApplication } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost, NestFactory } from '@nestjs/core';
import { Orchestrator, OrchestratorModule, type StoreOptions } from '@runtree/orchestration';
import { OpsModule, OrchestrationMetrics } from '../../../apps/runtree/src/ops/index.js';

/** Stands in for the HTTP API's global filter, which answers every exception with its own envelope. */
@Catch()
class CatchEverythingFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(_exception: unknown, host: ArgumentsHost): void {
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { error: { code: 'internal_error' } }, 500);
  }
}

/** An HTTP app wired as Runtree's app module wires OpsModule: its metrics are the orchestrator's observer. */
export async function startOpsApp(store: StoreOptions): Promise<INestApplication> {
  @Module({
    imports: [
      OrchestratorModule.forRootAsync({
        imports: [OpsModule],
        inject: [OrchestrationMetrics],
        useFactory: (metrics: OrchestrationMetrics) => ({ store, observer: metrics }),
      }),
      OpsModule,
    ],
    providers: [{ provide: APP_FILTER, useClass: CatchEverythingFilter }],
  })
  class OpsTestAppModule {}

  const app = await NestFactory.create(OpsTestAppModule, { logger: false });
  await app.init();
  await app.get(Orchestrator).ensureReady();
  return app;
}

/** Retries `check` until it passes or `timeoutMs` is over (then its last failure is thrown). */
export async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The value of one series (`name{labels}` exactly as exposed) in a /metrics exposition, or undefined when it is absent. */
export function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
