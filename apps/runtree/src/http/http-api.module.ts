import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { RuntreeConfig } from '../config.js';
import { BearerAuthGuard } from '../security/bearer-auth.guard.js';
import { RUNTREE_CONFIG } from '../security/runtree-config.token.js';
import { AdminController } from './admin.controller.js';
import { ClientSlots } from './client-slots.js';
import { ErrorEnvelopeFilter } from './error-envelope.filter.js';
import { JournalController } from './journal.controller.js';
import { JournalPages } from './journal-pages.js';
import { JournalTails } from './journal-tail.js';
import { RunsController } from './runs.controller.js';
import { SessionsController } from './sessions.controller.js';
import { StepsController } from './steps.controller.js';

/** The REST API over the `Orchestrator` facade (provided globally by `OrchestratorModule`), behind the bearer-token guard. */
@Module({})
export class HttpApiModule {
  static forConfig(config: RuntreeConfig): DynamicModule {
    return {
      module: HttpApiModule,
      controllers: [RunsController, StepsController, JournalController, SessionsController, AdminController],
      providers: [
        { provide: RUNTREE_CONFIG, useValue: config },
        JournalTails,
        JournalPages,
        ClientSlots,
        { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
      ],
    };
  }
}
