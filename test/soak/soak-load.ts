import type { AwaitResult, Child, Run } from '@runtree/orchestration';
import type { SeededRandom } from '../support/seeded-random.js';
import { isSuccess, successBody, type Reply, type RuntreeClient } from '../e2e/process/runtree-client.js';
import type { SoakFigures } from './soak-figures.js';

type Action = 'start' | 'spawn' | 'delegate' | 'complete' | 'await' | 'cancel';

/** How often each client picks each action. */
const WEIGHTS: ReadonlyArray<readonly [Action, number]> = [
  ['start', 4],
  ['spawn', 26],
  ['delegate', 10],
  ['complete', 14],
  ['await', 36],
  ['cancel', 10],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
/** Runs the clients pick from: the latest ones, so that many clients work on the same trees at once. */
const LIVE_RUNS = 400;
/** A client stops after this many actions even if the duration is not over (the loop is bounded). */
export const MAX_ACTIONS_PER_CLIENT = 1_000_000;
/** Await timeouts: most short, some long enough to outlive several completes and cancels of the tree. */
const AWAIT_TIMEOUTS_MS = { short: [0, 300], medium: [500, 2_000], long: [3_000, 8_000] } as const;
/** What a refused command may answer, by action: a lost race on a tree others are changing. */
const EXPECTED_REFUSALS: Readonly<Record<Action, readonly string[]>> = {
  start: [],
  spawn: ['parent_not_running', 'conflict'],
  delegate: ['parent_not_running', 'conflict'],
  complete: ['invalid_status_transition', 'conflict'],
  await: ['timeout'],
  cancel: ['conflict'],
};

/** What an acknowledged command promises about its run: it exists, it is completed, or it is no longer running. */
export type Promised = 'exists' | 'completed' | 'ended';

/**
 * The runs shared by every client: all roots and what each acknowledged command promised (checked
 * afterwards), and the latest runs believed running, which the clients pick from.
 */
export class RunPool {
  readonly roots: string[] = [];
  readonly promised = new Map<string, Promised>();
  private live: string[] = [];

  addRoot(runId: string): void {
    this.roots.push(runId);
    this.add(runId);
  }

  add(runId: string): void {
    this.promised.set(runId, 'exists');
    this.live.push(runId);
    if (this.live.length > LIVE_RUNS) this.live.shift();
  }

  /** A run that is (as far as the clients know) still running. */
  pick(random: SeededRandom): string | undefined {
    return this.live.length === 0 ? undefined : random.pick(this.live);
  }

  /** Forgets a run that is terminal, or refused children because it is. */
  ended(runId: string): void {
    const index = this.live.indexOf(runId);
    if (index >= 0) this.live.splice(index, 1);
  }
}

function pickAction(random: SeededRandom): Action {
  let roll = random.next() * TOTAL_WEIGHT;
  for (const [action, weight] of WEIGHTS) {
    roll -= weight;
    if (roll < 0) return action;
  }
  return 'await';
}

function awaitTimeoutMs(random: SeededRandom): number {
  const range = random.chance(0.7) ? AWAIT_TIMEOUTS_MS.short : random.chance(0.75) ? AWAIT_TIMEOUTS_MS.medium : AWAIT_TIMEOUTS_MS.long;
  return random.int(range[0], range[1]);
}

const errorCode = (reply: Reply): string => (reply.body as { error?: { code?: string } } | null)?.error?.code ?? `status ${reply.status}`;

/** One client: a bounded loop of actions on the shared trees until `deadline`. */
export async function runClient(client: RuntreeClient, pool: RunPool, random: SeededRandom, deadline: number, figures: SoakFigures): Promise<void> {
  for (let actions = 0; actions < MAX_ACTIONS_PER_CLIENT && Date.now() < deadline; actions++) {
    const action = pickAction(random);
    const target = action === 'start' ? undefined : pool.pick(random);
    if (target === undefined) await act(client, 'start', '', pool, random, figures);
    else await act(client, action, target, pool, random, figures);
  }
}

async function act(client: RuntreeClient, action: Action, target: string, pool: RunPool, random: SeededRandom, figures: SoakFigures): Promise<void> {
  const isAwait = action === 'await';
  if (isAwait) figures.awaitsSent++;
  let reply: Reply;
  try {
    reply = await send(client, action, target, random);
  } catch (error) {
    figures.transportErrors.push(`${action} ${target}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  figures.count(action, reply.status, isSuccess(reply.status) ? undefined : errorCode(reply));
  if (reply.status >= 500) return;
  if (isSuccess(reply.status)) {
    if (isAwait) figures.awaitsAnswered.ended++;
    followSuccess(action, target, reply.body, pool);
    return;
  }
  const code = errorCode(reply);
  if (!EXPECTED_REFUSALS[action].includes(code)) {
    figures.unexpected.push(`${action} ${target}: ${reply.status} ${code}`);
    return;
  }
  if (isAwait) figures.awaitsAnswered.timedOut++;
  if (code === 'parent_not_running' || code === 'invalid_status_transition') pool.ended(target);
}

function send(client: RuntreeClient, action: Action, target: string, random: SeededRandom): Promise<Reply> {
  switch (action) {
    case 'start':
      return client.post('/runs', { kind: 'soak' });
    case 'spawn':
      return client.post(`/runs/${target}/children`, { kind: 'worker' });
    case 'delegate':
      return client.post(`/runs/${target}/delegations`, { task: { soak: true } });
    case 'complete':
      return client.post(`/runs/${target}/complete`, { output: { soak: true } });
    case 'cancel':
      return client.post(`/runs/${target}/cancel`, { reason: 'soak' });
    case 'await':
      return client.get(`/runs/${target}/await?timeoutMs=${awaitTimeoutMs(random)}`);
  }
}

function followSuccess(action: Action, target: string, body: unknown, pool: RunPool): void {
  if (action === 'complete') pool.promised.set(target, 'completed');
  if (action === 'cancel' && pool.promised.get(target) !== 'completed') pool.promised.set(target, 'ended');
  switch (action) {
    case 'start':
      return pool.addRoot((body as Run).runId);
    case 'spawn':
      return pool.add((body as Child).run.runId);
    case 'delegate':
      return pool.add((body as Run).runId);
    case 'await':
      if ((body as AwaitResult).status !== undefined) pool.ended(target);
      return;
    case 'complete':
    case 'cancel':
      return pool.ended(target);
  }
}

/** The longest await's timeout: after that long, no waiter of a finished client may be left. */
export const LONGEST_AWAIT_MS = AWAIT_TIMEOUTS_MS.long[1];
/**
 * How long a client waits for an answer before it counts none: an overloaded machine queues requests
 * for tens of seconds (seen: 20 s at 10 requests/s with 200 in flight), and that is slow, not lost.
 */
export const REQUEST_TIMEOUT_MS = LONGEST_AWAIT_MS + 120_000;

/** Roots to start before the clients, so they spread over trees instead of all starting their own at once. */
export async function seedRoots(client: RuntreeClient, pool: RunPool, count: number): Promise<void> {
  for (let index = 0; index < count; index++) pool.addRoot(successBody<Run>(await client.post('/runs', { kind: 'soak' })).runId);
}
