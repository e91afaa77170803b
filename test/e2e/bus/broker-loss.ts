import { expect } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { EventStore, RecordedEvent } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator } from '@runtree/orchestration';
import { eventually } from '../ops/ops-app.js';
import { fireBurst, planLanes, rootOf, type BurstOutcome, type BurstShape } from './broker-burst.js';
import type { BusCaller } from './bus-harness.js';

interface JournalCheck {
  /** Acknowledged commands with no event in the journal. */
  readonly lost: string[];
  /** Commands that wrote some event twice (same stream, same type). */
  readonly duplicated: string[];
}

/** What the journal holds of each command, by the command id its events carry. */
function checkJournal(outcomes: readonly BurstOutcome[], events: readonly RecordedEvent[]): JournalCheck {
  const writes = new Map<string, string[]>();
  for (const event of events) {
    const commandId = (event.metadata as { commandId?: string } | undefined)?.commandId;
    if (commandId !== undefined) writes.set(commandId, [...(writes.get(commandId) ?? []), `${event.streamName}/${event.type}`]);
  }
  const acknowledged = outcomes.filter((outcome) => outcome.acknowledged).map((outcome) => outcome.command.commandId);
  return {
    lost: acknowledged.filter((commandId) => !writes.has(commandId)),
    duplicated: [...writes].filter(([, written]) => new Set(written).size !== written.length).map(([commandId]) => commandId),
  };
}

/** Runtree's events in log order: what the publisher must deliver. */
function runtreeEvents(store: EventStore): Promise<RecordedEvent[]> {
  return store.readAll({ filter: { streamNamePrefixes: ['run-', 'session-', 'thread-'] } });
}

/** The read models' view of each tree: the root and its children, all completed, each child linked once. */
async function treesAsRead(orchestrator: Orchestrator, prefix: string, shape: BurstShape) {
  return Promise.all(
    Array.from({ length: shape.trees }, async (_, tree) => {
      const collected = await orchestrator.collect(rootOf(prefix, tree), { includeDescendants: true });
      return { status: collected.run.status, children: collected.children.map((child) => `${child.run.runId}:${child.run.status}`) };
    }),
  );
}

/** The trees as the burst should leave them. */
function expectedTrees(prefix: string, shape: BurstShape) {
  return Array.from({ length: shape.trees }, (_, tree) => ({
    status: 'completed',
    children: Array.from({ length: shape.childrenPerTree }, (_, child) => `${rootOf(prefix, tree)}-c${child}:completed`),
  }));
}

/**
 * Whether `received` is the log delivered at least once without a gap: in log order, except that
 * after a broker loss delivery may start again up to `maxReplay` events back (the tail published
 * after the last saved checkpoint). Returns the first violation, or undefined.
 */
export function deliveryViolation(log: readonly string[], received: readonly string[], maxReplay: number): string | undefined {
  const indexOf = new Map(log.map((eventId, index) => [eventId, index]));
  let previous = -1;
  let highest = -1;
  for (const [position, eventId] of received.entries()) {
    const index = indexOf.get(eventId);
    if (index === undefined) return `received #${position} (${eventId}) is not in the log`;
    if (index > previous + 1) return `gap: received #${position} is log #${index}, right after log #${previous}`;
    if (index <= previous && highest - index + 1 > maxReplay) {
      return `replayed too far back: received #${position} is log #${index}, after log #${highest} (at most ${maxReplay} again)`;
    }
    previous = index;
    highest = Math.max(highest, index);
  }
  return highest === log.length - 1 ? undefined : `the end is missing: the last received is log #${highest} of ${log.length}`;
}

/** A broker's loss as the service sees it, and its return. */
export interface BrokerFault {
  /** The broker's indicator of /health (`nats`, `rabbitmq`); it and its intake's (`nats-intake`) must go down. */
  readonly broker: string;
  goDown(): Promise<void>;
  comeBack(): Promise<void>;
}

export interface BurstReport {
  readonly outcomes: BurstOutcome[];
  /** Runtree's events in the log once the burst is over: what the subscribers must get. */
  readonly log: RecordedEvent[];
  readonly figures: Record<string, number>;
}

const BURST_SHAPE: BurstShape = { trees: 8, childrenPerTree: 6 };
/** Runs started over HTTP while the broker is down, one every `OUTAGE_STEP_MS`: events to publish once it is back. */
const RUNS_PER_OUTAGE = 10;
const OUTAGE_STEP_MS = 100;

/**
 * Sends a burst of commands through `bus` while the broker goes down twice (a quarter and two thirds
 * of the way in) and comes back, and checks what a client can see: /health reports both of the
 * broker's connections down, the publisher's and the command intake's (HTTP still takes commands
 * meanwhile), and up again; the same instance serves commands after the last fault; every command
 * is acknowledged after retries and applied exactly once.
 */
export async function burstAcrossBrokerLoss(app: INestApplication, bus: BusCaller, prefix: string, fault: BrokerFault): Promise<BurstReport> {
  const health = () => request(app.getHttpServer()).get('/health');
  const indicators = [fault.broker, `${fault.broker}-intake`];
  const each = (status: string) => Object.fromEntries(indicators.map((indicator) => [indicator, { status }]));
  const lanes = planLanes(prefix, BURST_SHAPE);
  const commands = lanes.flat().length;
  const faultAfterAcknowledgements = [Math.floor(commands / 4), Math.floor((2 * commands) / 3)];
  let faults = 0;
  let acknowledgedBeforeLastFault = 0;
  let faulting: Promise<void> = Promise.resolve();

  const outage = async (number: number) => {
    await fault.goDown();
    await eventually(async () => {
      const response = await health();
      expect(response.status).toBe(503);
      expect(response.body.error).toMatchObject(each('down'));
    }, 10_000);
    for (let run = 0; run < RUNS_PER_OUTAGE; run++) {
      await request(app.getHttpServer()).post('/runs').send({ runId: `${prefix}-outage${number}-${run}`, kind: 'offline' }).expect(201);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_STEP_MS));
    }
    await fault.comeBack();
  };

  const outcomes = await fireBurst(bus, lanes, (acknowledged) => {
    if (!faultAfterAcknowledgements.includes(acknowledged)) return;
    const number = ++faults;
    acknowledgedBeforeLastFault = acknowledged;
    faulting = faulting.then(() => outage(number));
  });
  await faulting;

  const acknowledged = outcomes.filter((outcome) => outcome.acknowledged);
  expect(faults).toBe(2);
  expect(acknowledged.length).toBeGreaterThan(acknowledgedBeforeLastFault);
  await eventually(async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(response.body.details).toMatchObject(each('up'));
  }, 20_000);

  expect(outcomes.filter((outcome) => !outcome.acknowledged)).toEqual([]);
  expect(outcomes).toHaveLength(commands);
  const log = await runtreeEvents(app.get<EventStore>(EVENT_STORE));
  const journal = checkJournal(outcomes, log);
  expect(journal).toEqual({ lost: [], duplicated: [] });
  expect(await treesAsRead(app.get(Orchestrator), prefix, BURST_SHAPE)).toEqual(expectedTrees(prefix, BURST_SHAPE));

  return {
    outcomes,
    log,
    figures: {
      faults,
      commands,
      attempts: outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0),
      acknowledged: acknowledged.length,
      lost: journal.lost.length,
      duplicated: journal.duplicated.length,
      'runs started over HTTP during the outages': faults * RUNS_PER_OUTAGE,
      'events published': log.length,
    },
  };
}

export function summaryLine(label: string, figures: Record<string, number>): string {
  return `${label}: ${Object.entries(figures)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ')}`;
}
