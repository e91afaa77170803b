import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { CHECKPOINT_EVERY_EVENTS } from '../../../apps/runtree/src/bus/event-publisher.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { eventually } from '../ops/ops-app.js';
import { burstAcrossBrokerLoss, deliveryViolation, summaryLine } from './broker-loss.js';
import {
  brokersAvailable,
  busConfig,
  deleteRabbitmqResources,
  rabbitmqCaller,
  rabbitmqEventListener,
  rabbitmqUrl,
  startRuntreeService,
  uniquePrefix,
  type BusCaller,
  type EventListener,
} from './bus-harness.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

// The shared broker must keep running for the other test files: a proxy in front of it plays the
// restart as the service and its callers see it (every connection dropped, new ones refused, then
// accepted again). A private RabbitMQ node did not start here in 40 s, too slow for a test.
describeWithBrokers('RabbitMQ lost during a burst of commands', () => {
  const prefix = uniquePrefix();
  let proxy: TcpProxy;
  let app: INestApplication;
  let bus: BusCaller;
  let subscriber: EventListener;

  beforeAll(async () => {
    const broker = new URL(rabbitmqUrl);
    proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    broker.port = String(proxy.port);
    // A subscriber of its own, straight to the broker: what the broker took is what it gets.
    subscriber = await rabbitmqEventListener(prefix, `${prefix}.events.#`);
    app = await startRuntreeService({ ...busConfig(prefix, ':memory:', {}), rabbitmqUrl: broker.toString() });
    bus = await rabbitmqCaller(prefix, broker.toString());
  }, 30_000);

  afterAll(async () => {
    await bus?.close();
    await app?.close();
    await subscriber?.close();
    await proxy?.close();
    await deleteRabbitmqResources(prefix);
  });

  it('reconnects by itself; every command is applied once; the subscriber gets every event, replays only from the checkpoint', async () => {
    const { log, figures } = await burstAcrossBrokerLoss(app, bus, prefix, { broker: 'rabbitmq', goDown: () => proxy.cutOff(), comeBack: () => proxy.restore() });

    // At least once: after a loss, publication starts again at the checkpoint, so up to
    // CHECKPOINT_EVERY_EVENTS events may arrive again, in log order; no event is skipped.
    const logIds = log.map((event) => event.id);
    await eventually(async () => expect(new Set(subscriber.received.map((event) => event.eventId))).toEqual(new Set(logIds)), 20_000);
    const receivedIds = subscriber.received.map((event) => event.eventId);
    expect(deliveryViolation(logIds, receivedIds, CHECKPOINT_EVERY_EVENTS)).toBeUndefined();

    console.log(
      summaryLine('RabbitMQ loss during a burst', { ...figures, 'events received': receivedIds.length, 'received again': receivedIds.length - logIds.length }),
    );
  }, 90_000);
});
