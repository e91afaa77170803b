import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminController } from './admin.controller.js';
import { ErrorEnvelopeFilter } from './error-envelope.filter.js';
import { JournalController } from './journal.controller.js';
import { JournalTails } from './journal-tail.js';
import { RunsController } from './runs.controller.js';
import { SessionsController } from './sessions.controller.js';
import { StepsController } from './steps.controller.js';

/** The REST API over the `Orchestrator` facade (provided globally by `OrchestratorModule`). */
@Module({
  controllers: [RunsController, StepsController, JournalController, SessionsController, AdminController],
  providers: [JournalTails, { provide: APP_FILTER, useClass: ErrorEnvelopeFilter }],
})
export class HttpApiModule {}
