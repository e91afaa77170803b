import { describe, expect, it } from '@jest/globals';
import { hideUrlCredentials, SecretRedactor } from './secrets.js';

const redactor = new SecretRedactor({
  eventStoreConnectionString: 'esdb+discover://admin:p%40ss-word@node1:2113,node2:2113?tls=true',
  natsUrl: 'nats://worker:nats-secret-1@127.0.0.1:4222',
  rabbitmqUrl: 'amqp://rabbit:rabbit-secret-2@mq:5672',
  apiToken: 'api-token-abcdefghijkl',
  adminToken: 'admin-token-mnopqrstuv',
});

describe('SecretRedactor', () => {
  it('replaces tokens and URL passwords (written and decoded) wherever they appear', () => {
    const text = 'Bearer api-token-abcdefghijkl, admin-token-mnopqrstuv; auth p%40ss-word / p@ss-word; nats-secret-1 rabbit-secret-2';
    expect(redactor.redact(text)).toBe('Bearer ***, ***; auth *** / ***; *** ***');
  });

  it('hides the credentials of any URL, known or not', () => {
    expect(redactor.redact('connect amqp://someone:else@10.0.0.1:5672 failed')).toBe('connect amqp://***@10.0.0.1:5672 failed');
    expect(hideUrlCredentials('esdb://admin:changeit@a:2113,b:2113?tls=false')).toBe('esdb://***@a:2113,b:2113?tls=false');
    expect(hideUrlCredentials('http://127.0.0.1:3000/runs')).toBe('http://127.0.0.1:3000/runs');
  });

  it('redacts every string of a value, keeping its shape', () => {
    const failure = new Error('connect to nats://worker:nats-secret-1@127.0.0.1:4222 refused');
    const value = { error: { message: 'bad api-token-abcdefghijkl', details: { urls: ['amqp://rabbit:rabbit-secret-2@mq:5672'], count: 2, cause: failure } } };
    const redacted = redactor.redactValue(value);
    expect(redacted.error.message).toBe('bad ***');
    expect(redacted.error.details.urls).toEqual(['amqp://***@mq:5672']);
    expect(redacted.error.details.count).toBe(2);
    expect(JSON.stringify(redacted)).not.toMatch(/nats-secret-1|rabbit-secret-2|api-token-abcdefghijkl/);
  });

  it('leaves text without secrets as it is', () => {
    expect(new SecretRedactor({}).redact('Run research-1 is still running after 100 ms')).toBe('Run research-1 is still running after 100 ms');
  });
});
