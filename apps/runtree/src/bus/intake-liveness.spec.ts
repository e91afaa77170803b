import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { intakeLiveness } from './intake-liveness.js';

describe('intakeLiveness', () => {
  it('is down, saying why, until the server reports its connection, and follows each status after', async () => {
    const status = new Subject<string>();
    const isAlive = intakeLiveness(status);
    await expect(isAlive()).rejects.toThrow('the command intake has not connected yet');

    status.next('connected');
    await expect(isAlive()).resolves.toBe(true);
    status.next('disconnected');
    await expect(isAlive()).rejects.toThrow("the command intake's connection is disconnected");
    status.next('reconnecting'); // NATS, between attempts
    await expect(isAlive()).rejects.toThrow("the command intake's connection is reconnecting");
    status.next('connected');
    await expect(isAlive()).resolves.toBe(true);
  });

  it('counts a RabbitMQ connection the broker blocked as down, and up once unblocked', async () => {
    const status = new Subject<string>();
    const isAlive = intakeLiveness(status);
    status.next('connected');
    status.next('blocked');
    await expect(isAlive()).rejects.toThrow("the command intake's connection is blocked");
    status.next('unblocked');
    await expect(isAlive()).resolves.toBe(true);
  });
});
