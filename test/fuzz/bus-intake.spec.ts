import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator } from '@runtree/orchestration';
import { busOperations } from '../../apps/runtree/src/bus/index.js';
import { BusIntake } from '../../apps/runtree/src/bus/bus-intake.js';
import { busConfig, startBusApp, uniquePrefix } from '../e2e/bus/bus-harness.js';
import { checkedReply } from '../support/bus-client.js';
import { busShape, expectErrorReply, hostilePayloads } from './support/bus-cases.js';
import { createFixture, type Fixture } from './support/fixture.js';
import { FuzzTally } from './support/fuzz-tally.js';
import { journalHead } from './support/journal-head.js';
import { materialized } from './support/hostile-values.js';

// Every bus pattern, fuzzed in-process through the intake both transports hand their messages to:
// each hostile payload gets `{ ok: false, error }` naming the field, the handler never throws, and
// nothing is appended.

const CASES_PER_PATTERN = 150;
const tally = new FuzzTally('bus in-process', 'patterns');
let app: INestApplication;
let intake: BusIntake;
let store: EventStore;
let fixture: Fixture;

beforeAll(async () => {
  app = await startBusApp(busConfig(uniquePrefix(), ':memory:', {}));
  intake = app.get(BusIntake);
  store = app.get<symbol, EventStore>(EVENT_STORE);
  fixture = await createFixture(app.get(Orchestrator));
});

afterAll(async () => {
  tally.print();
  await app?.close();
});


describe.each(busOperations.map((operation) => [operation]))('%s', (operation) => {
  it('replies to every hostile payload with an error naming the field, appending nothing', async () => {
    await tally.check(operation, hostilePayloads(busShape(operation), fixture), async (hostile) => {
      const before = await journalHead(store);
      const reply = await intake.handle(operation, materialized(hostile.payload));
      expectErrorReply(checkedReply(operation, reply), hostile);
      expect(await journalHead(store)).toBe(before);
    }, CASES_PER_PATTERN);
    expect(await intake.handle('run.status', { runId: fixture.runId })).toMatchObject({ ok: true, value: { run: { status: 'running' } } });
  }, 120_000);
});
