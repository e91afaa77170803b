import { Module, type DynamicModule } from '@nestjs/common';
import type { RuntreeConfig } from '../config.js';
import { OpsModule } from '../ops/index.js';
import { createBusController } from './bus-controller.js';
import { BusIntake } from './bus-intake.js';
import { BUS_PREFIX } from './bus-prefix.js';
import { EventPublisher } from './event-publisher.js';
import { EVENT_SINKS, eventSinksFor } from './event-sinks.js';

/**
 * The message bus: the command intake served on every transport `connectBusTransports` connects,
 * and the publisher of Runtree's events to every configured broker. Needs OrchestratorModule (global).
 */
@Module({})
export class BusModule {
  static forRoot(config: RuntreeConfig): DynamicModule {
    return {
      module: BusModule,
      // OpsModule holds BrokerHealth, where each broker's liveness is registered for /health.
      imports: [OpsModule],
      controllers: [createBusController(config.busPrefix)],
      providers: [
        { provide: BUS_PREFIX, useValue: config.busPrefix },
        { provide: EVENT_SINKS, useFactory: () => eventSinksFor(config) },
        BusIntake,
        EventPublisher,
      ],
    };
  }
}
