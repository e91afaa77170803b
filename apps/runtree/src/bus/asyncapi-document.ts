import * as t from 'io-ts';
import { EventMetadataCodec, eventCodecs, jsonSchemaOf, type JsonSchema, type ValidationLimits } from '@runtree/orchestration';
import { apiShapes } from '../protocol/api-shapes.js';
import { componentRef, componentSchemas, namingOf } from '../protocol/component-schemas.js';
import { busNames, busOperations, operationIdOf, type BusOperation } from './bus-names.js';
import { busOperationShapes, errorsOfEveryOperation } from './bus-payloads.js';
import { publishedContentType } from './event-sink.js';

export interface AsyncApiOptions {
  readonly prefix: string;
  readonly limits: ValidationLimits;
  /** The brokers this instance is connected to (`RUNTREE_NATS_URL`, `RUNTREE_RABBITMQ_URL`); credentials are never shown. */
  readonly natsUrl?: string;
  readonly rabbitmqUrl?: string;
}

const requestName = (operation: BusOperation) => `${operationIdOf(operation)}Request`;
const replyName = (operation: BusOperation) => `${operationIdOf(operation)}Reply`;

/** `{ ok: true, value }` or the error reply: the one shape of every reply. */
function replySchema(value: JsonSchema): JsonSchema {
  return {
    oneOf: [
      { type: 'object', required: ['ok', 'value'], properties: { ok: { const: true }, value }, additionalProperties: false },
      componentRef('ErrorReply'),
    ],
  };
}

/** A journal entry whose `type` and `data` are those of one event type. */
function eventSchema(type: string, data: JsonSchema, metadata: JsonSchema): JsonSchema {
  return { allOf: [componentRef('JournalEntry'), { type: 'object', properties: { type: { const: type }, data, metadata } }] };
}

function hostOf(url: string): { host: string; pathname?: string } {
  const parsed = new URL(url);
  return { host: parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname, ...(parsed.pathname.length > 1 ? { pathname: parsed.pathname } : {}) };
}

/**
 * The AsyncAPI 3.0 document of the bus: each operation's channel (subject / routing), request, reply
 * and error codes, the events and their subjects. Every schema comes from a codec (bus-payloads.ts,
 * the library's result and event codecs), through the converter the OpenAPI document uses too.
 */
export function createAsyncApiDocument(options: AsyncApiOptions): Record<string, unknown> {
  const names = busNames(options.prefix);
  const shapes = busOperationShapes(options.limits);
  const shared = apiShapes(options.limits);
  const requests = Object.fromEntries(busOperations.map((operation) => [requestName(operation), shapes[operation].request]));
  const eventData = Object.fromEntries(Object.entries(eventCodecs).map(([type, codec]) => [`${type}Data`, codec as t.Decoder<unknown, unknown>]));
  const named = { ...shared, ...requests, ...eventData, EventMetadata: EventMetadataCodec };
  const schemas = componentSchemas(named);
  const naming = namingOf(named);
  // A reply's value is a named shape (Run, Child, ...) or one built of them (a list of children).
  const valueSchema = (codec: t.Decoder<unknown, unknown>) => {
    const name = naming.nameOf(codec);
    return name !== undefined ? componentRef(name) : jsonSchemaOf(codec, naming);
  };

  const servers = {
    ...(options.natsUrl !== undefined ? { nats: { ...hostOf(options.natsUrl), protocol: 'nats', description: 'Requests on the operation subjects (queue group below); events on the event subjects' } } : {}),
    ...(options.rabbitmqUrl !== undefined
      ? { rabbitmq: { ...hostOf(options.rabbitmqUrl), protocol: 'amqp', description: `Requests on the durable queue ${names.rabbitmqCommandQueue}; events on the topic exchange ${names.rabbitmqEventsExchange}` } }
      : {}),
  };

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const operation of busOperations) {
    const id = operationIdOf(operation);
    const shape = shapes[operation];
    const errorCodes = [...shape.errors, ...errorsOfEveryOperation];
    messages[requestName(operation)] = {
      name: requestName(operation),
      title: `${operation} request`,
      contentType: publishedContentType,
      payload: componentRef(requestName(operation)),
      bindings: { amqp: { messageType: names.pattern(operation), bindingVersion: '0.3.0' } },
    };
    messages[replyName(operation)] = {
      name: replyName(operation),
      title: `${operation} reply`,
      contentType: publishedContentType,
      description: `Error codes: ${errorCodes.join(', ')}`,
      payload: replySchema(valueSchema(shape.value)),
    };
    channels[id] = {
      address: names.pattern(operation),
      title: operation,
      description: `NATS: the subject. RabbitMQ: the queue ${names.rabbitmqCommandQueue}, with the AMQP type property ${names.pattern(operation)}.`,
      messages: { request: { $ref: `#/components/messages/${requestName(operation)}` } },
      bindings: { amqp: { is: 'queue', queue: { name: names.rabbitmqCommandQueue, durable: true, exclusive: false, autoDelete: false }, bindingVersion: '0.3.0' } },
    };
    channels[`${id}Reply`] = {
      address: null,
      title: `${operation} reply`,
      description: 'The NATS reply subject of the request, or its AMQP reply_to queue (with the correlation_id of the request)',
      messages: { reply: { $ref: `#/components/messages/${replyName(operation)}` } },
    };
    operations[id] = {
      action: 'receive',
      title: operation,
      summary: shape.summary,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/request` }],
      reply: { channel: { $ref: `#/channels/${id}Reply` }, messages: [{ $ref: `#/channels/${id}Reply/messages/reply` }] },
      bindings: { nats: { queue: names.natsQueueGroup, bindingVersion: '0.1.0' }, amqp: { ack: true, bindingVersion: '0.3.0' } },
    };
  }

  const eventMessages: Record<string, unknown> = {};
  for (const type of Object.keys(eventCodecs)) {
    messages[`${type}Event`] = {
      name: type,
      title: `${type} event`,
      contentType: publishedContentType,
      description: 'Published at least once: de-duplicate by eventId (also the NATS Nats-Msg-Id header and the AMQP message_id).',
      headers: { type: 'object', properties: { 'Nats-Msg-Id': { type: 'string', description: 'NATS only: the eventId, for JetStream de-duplication' } } },
      payload: eventSchema(type, componentRef(`${type}Data`), componentRef('EventMetadata')),
      bindings: { amqp: { messageType: type, bindingVersion: '0.3.0' } },
    };
    eventMessages[type] = { $ref: `#/components/messages/${type}Event` };
  }
  channels.runEvents = {
    address: `${names.eventSubject('{eventType}')}.{kind}`,
    title: "A run's events",
    description:
      `Every event of a run, with the run's kind as the last token, so a worker subscribes to its kind only (NATS ${names.eventSubject('*', 'agent')}, ` +
      `RabbitMQ binding key ${names.eventSubject('*', 'agent')}). RabbitMQ: routing keys on the topic exchange ${names.rabbitmqEventsExchange}.`,
    parameters: {
      eventType: { description: 'The event type, e.g. RunStarted' },
      kind: { description: "The run's kind; bytes other than A-Z a-z 0-9 _ - are written ~XX (hex): code.review is code~2Ereview" },
    },
    messages: eventMessages,
    bindings: { amqp: { is: 'routingKey', exchange: { name: names.rabbitmqEventsExchange, type: 'topic', durable: true, autoDelete: false }, bindingVersion: '0.3.0' } },
  };
  channels.substrateEvents = {
    address: names.eventSubject('{eventType}'),
    title: "A session's or thread's events",
    description: `Events of sessions and threads, which belong to no run, carry no kind token (NATS ${names.eventSubject('>')} receives every event).`,
    parameters: { eventType: { description: 'SessionOpened, SessionClosed, ThreadStarted, ThreadResumed or ThreadClosed' } },
    messages: eventMessages,
    bindings: { amqp: { is: 'routingKey', exchange: { name: names.rabbitmqEventsExchange, type: 'topic', durable: true, autoDelete: false }, bindingVersion: '0.3.0' } },
  };
  operations.publishRunEvents = { action: 'send', title: 'Run events', channel: { $ref: '#/channels/runEvents' }, messages: Object.keys(eventMessages).map((type) => ({ $ref: `#/channels/runEvents/messages/${type}` })) };
  operations.publishSubstrateEvents = {
    action: 'send',
    title: 'Session and thread events',
    channel: { $ref: '#/channels/substrateEvents' },
    messages: Object.keys(eventMessages).map((type) => ({ $ref: `#/channels/substrateEvents/messages/${type}` })),
  };

  schemas.ErrorReply = {
    type: 'object',
    required: ['ok', 'error'],
    properties: { ok: { const: false }, error: componentRef('Error') },
    additionalProperties: false,
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Runtree bus',
      version: '0.1.0',
      description:
        'Request/reply operations and published events of Runtree over NATS and RabbitMQ. A request is one JSON object (the ids the operation ' +
        'addresses, its JSON argument and its options); its reply is `{ ok: true, value }` or `{ ok: false, error: { code, message, details } }`. ' +
        'Plain clients send the request itself; Nest ClientProxy clients send their `{ pattern, data, id }` packet and get Nest\'s wrapping back.',
    },
    defaultContentType: publishedContentType,
    servers,
    channels,
    operations,
    components: { schemas, messages },
  };
}
