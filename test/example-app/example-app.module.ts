import { Module } from '@nestjs/common';
import { OrchestratorModule } from '@runtree/orchestration';
import { ResearchAgentService } from './research-agent.service.js';

/** What a NestJS application writes to use Runtree in-process. */
@Module({
  imports: [OrchestratorModule.forRoot({ store: { kind: 'sqlite', path: ':memory:' } })],
  providers: [ResearchAgentService],
})
export class ExampleAppModule {}
