import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Orchestrator, type Run, type RunSummary } from '@runtree/orchestration';
import type { RuntreeConfig } from '../config.js';
import { RUNTREE_CONFIG } from '../security/runtree-config.token.js';
import type { HttpResponse } from './express-types.js';
import { drainedOrClosed, HEARTBEAT_INTERVAL_MS, openEventStream } from './journal-tail.js';
import { whenResponseCloses } from './when-response-closes.js';

/** A run as the tree feed sends it: its summary, without payloads. */
function summaryOf(run: Run): RunSummary {
  const { metadata: _metadata, input: _input, output: _output, error: _error, cancelReason: _cancelReason, ...summary } = run;
  return summary;
}

/** The root of the run's tree, walking up its parents. */
async function rootOf(orchestrator: Orchestrator, runId: string): Promise<string> {
  let current = (await orchestrator.status(runId)).run;
  while (current.parentRunId !== undefined) current = (await orchestrator.status(current.parentRunId)).run;
  return current.runId;
}

/**
 * Server-sent-event feeds of whole run trees: every run of the tree (`event: run`), then `ready`,
 * then each run of the tree again whenever its status changes or it is new. The changes are
 * followed from before the tree is read, so none falls between the two.
 */
@Injectable()
export class TreeFeeds implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TreeFeeds.name);
  private readonly open = new Set<AbortController>();

  constructor(
    private readonly orchestrator: Orchestrator,
    @Inject(RUNTREE_CONFIG) private readonly config: RuntreeConfig,
  ) {}

  /** Validates the run (an unknown one is a 404 before the stream opens) and gives its root. */
  rootOf(runId: string): Promise<string> {
    return rootOf(this.orchestrator, runId);
  }

  async follow(rootRunId: string, response: HttpResponse): Promise<void> {
    const stopper = new AbortController();
    this.open.add(stopper);
    whenResponseCloses(response, () => stopper.abort());
    openEventStream(response);
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_INTERVAL_MS);
    const send = async (event: string, data: unknown): Promise<void> => {
      if (!response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) await drainedOrClosed(response);
    };
    try {
      const changes = await this.orchestrator.followRunChanges(stopper.signal);
      const members = new Set<string>();
      for await (const run of this.treeRuns(rootRunId)) {
        members.add(run.runId);
        await send('run', run);
      }
      await send('ready', { rootRunId, runCount: members.size });
      for await (const change of changes) {
        // A run outside the tree matters only when it is new: it may be a child of one inside.
        if (!members.has(change.runId) && change.type !== 'RunStarted') continue;
        const { run } = await this.orchestrator.status(change.runId);
        if (!members.has(run.runId)) {
          if (run.parentRunId === undefined || !members.has(run.parentRunId)) continue;
          members.add(run.runId);
        }
        await send('run', summaryOf(run));
      }
    } catch (error) {
      if (!stopper.signal.aborted) {
        this.logger.warn(`The tree feed of run ${rootRunId} stopped: ${error instanceof Error ? error.message : String(error)}`);
        await send('failed', { message: 'The feed stopped (the store failed); read the tree again' }).catch(() => undefined);
      }
    } finally {
      clearInterval(heartbeat);
      this.open.delete(stopper);
      stopper.abort();
      response.end();
    }
  }

  /** The root and its descendants from the read models, a page at a time. */
  private async *treeRuns(rootRunId: string): AsyncGenerator<RunSummary> {
    let cursor: string | undefined;
    do {
      const page = await this.orchestrator.listRuns({ rootRunId, limit: this.config.limits.validation.maxListLimit, ...(cursor ? { cursor } : {}) });
      yield* page.runs;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  beforeApplicationShutdown(): void {
    for (const stopper of this.open) stopper.abort();
  }
}
