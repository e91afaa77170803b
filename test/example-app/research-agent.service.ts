import { Injectable } from '@nestjs/common';
import type { JsonValue } from '@runtree/event-store';
import { Orchestrator } from '@runtree/orchestration';

export interface ResearchOutcome {
  readonly runId: string;
  readonly taskRunId: string;
  readonly answer: JsonValue | undefined;
}

/** An application service that uses the orchestrator the way an agent would. */
@Injectable()
export class ResearchAgentService {
  constructor(private readonly orchestrator: Orchestrator) {}

  async research(question: string): Promise<ResearchOutcome> {
    const run = await this.orchestrator.startRun({ kind: 'research', input: { question } });
    const task = await this.orchestrator.delegate(run.runId, { question, sources: ['notes'] });

    // A worker would pick the task up from the bus; this agent does the work itself.
    const finished = this.orchestrator.await(task.runId, 5_000);
    await this.orchestrator.completeRun(task.runId, { answer: `what the notes say about ${question}` });
    const result = await finished;

    await this.orchestrator.completeRun(run.runId, result.output);
    return { runId: run.runId, taskRunId: task.runId, answer: result.output };
  }
}
