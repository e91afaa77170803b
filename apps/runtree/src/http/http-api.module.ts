import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminController } from './admin.controller.js';
import { ClientSlots } from './client-slots.js';
import { ErrorEnvelopeFilter } from './error-envelope.filter.js';
import { JournalAuditController } from './journal-audit.controller.js';
import { HttpObservationMiddleware } from './http-observation.middleware.js';
import { OpsModule } from '../ops/index.js';
import { JournalController } from './journal.controller.js';
import { JournalTails } from './journal-tail.js';
import { RunListingController } from './run-listing.controller.js';
import { RunsController } from './runs.controller.js';
import { SessionsController } from './sessions.controller.js';
import { StepsController } from './steps.controller.js';
import { TreeController } from './tree.controller.js';
import { TreeFeeds } from './tree-feed.js';

/**
 * The REST API over the `Orchestrator` facade (provided globally by `OrchestratorModule`); the
 * configuration and the bearer-token guard come from `SecurityModule`.
 */
@Module({
  // HttpMetrics, for the observation middleware.
  imports: [OpsModule],
  controllers: [RunListingController, RunsController, TreeController, StepsController, JournalAuditController, JournalController, SessionsController, AdminController],
  providers: [JournalTails, TreeFeeds, ClientSlots, { provide: APP_FILTER, useClass: ErrorEnvelopeFilter }],
})
export class HttpApiModule implements NestModule {
  /** Every route the app serves, and the requests no route matched. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpObservationMiddleware).forRoutes('*');
  }
}
