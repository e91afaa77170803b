import type { INestApplication } from '@nestjs/common';
import { Transport, type CustomStrategy, type NatsOptions } from '@nestjs/microservices';
import type { RuntreeConfig } from '../config.js';
import { BrokerHealth } from '../ops/index.js';
import { busNames } from './bus-names.js';
import { NatsCommandDeserializer, RabbitMqCommandDeserializer } from './command-deserializer.js';
import { intakeLiveness } from './intake-liveness.js';
import { NatsReplySerializer } from './nats-reply-serializer.js';
import { RabbitMqCommandServer } from './rabbitmq-command-server.js';

/**
 * Commands a RabbitMQ consumer holds unacknowledged at once; the rest stay queued for other instances.
 * A `run.await` holds its slot until the run ends or the await times out.
 */
export const RABBITMQ_COMMAND_PREFETCH = 64;

/** Wait between attempts to reach a broker again after it went away (a restart takes seconds). */
export const BROKER_RECONNECT_WAIT_MS = 1_000;

/** The app's global interceptors (redaction of error replies, see create-app.ts) apply to bus handlers too. */
const inheritAppConfig = { inheritAppConfig: true };

/**
 * Connects the command intake to every configured broker (a transport whose URL is unset is off),
 * and reports each intake connection to /health as `<broker>-intake`.
 * Call it before `app.startAllMicroservices()`; the handlers come from `BusModule.forRoot(config)`.
 */
export function connectBusTransports(app: INestApplication, config: RuntreeConfig): void {
  const names = busNames(config.busPrefix);
  // An indicator of its own beside the publisher's (`nats`, `rabbitmq`): the two connections fail and
  // recover apart, and mean different things (commands not received, events not published), so each
  // gets a key a monitor can alert on without parsing messages, and the publisher's keeps its meaning.
  const brokerHealth = app.get(BrokerHealth);
  if (config.natsUrl !== undefined) {
    // A queue group: each command goes to one instance, so instances share the load. Reconnects forever:
    // the client's default gives up after 10 attempts, leaving an instance that no longer takes commands.
    const intake = app.connectMicroservice<NatsOptions>({
      transport: Transport.NATS,
      options: {
        servers: [config.natsUrl],
        queue: names.natsQueueGroup,
        maxReconnectAttempts: -1,
        reconnectTimeWait: BROKER_RECONNECT_WAIT_MS,
        // Junk gets a reply saying why (with no ERROR line per message), never a run.
        deserializer: new NatsCommandDeserializer(),
        serializer: new NatsReplySerializer(),
      },
    }, inheritAppConfig);
    brokerHealth.register('nats-intake', intakeLiveness(intake.status));
  }
  if (config.rabbitmqUrl !== undefined) {
    // Manual acknowledgement (see bus-acknowledgement.ts) on a durable queue: a command survives an instance's crash.
    const intake = app.connectMicroservice<CustomStrategy>({
      strategy: new RabbitMqCommandServer({
        urls: [config.rabbitmqUrl],
        queue: names.rabbitmqCommandQueue,
        noAck: false,
        queueOptions: { durable: true },
        prefetchCount: RABBITMQ_COMMAND_PREFETCH,
        deserializer: new RabbitMqCommandDeserializer(),
        // The ack and the reply are two small writes: Nagle would hold the reply ~40 ms for the ack's TCP ACK.
        // Reconnection is forever (the server's default); only its wait is shortened.
        socketOptions: { connectionOptions: { noDelay: true }, reconnectTimeInSeconds: BROKER_RECONNECT_WAIT_MS / 1_000 },
      }),
    }, inheritAppConfig);
    brokerHealth.register('rabbitmq-intake', intakeLiveness(intake.status));
  }
}
