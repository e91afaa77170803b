import type { SeededRandom } from '../../support/seeded-random.js';
import { isSuccess, successBody, type RuntreeClient } from './runtree-client.js';

/**
 * A command of the burst; its Idempotency-Key is fixed so that it can be re-sent as a retry.
 * `racing`: its target lies in a subtree a cancel of the same burst ends, so it may lose the race
 * and be refused with a 409 (parent_not_running, invalid_status_transition), all or nothing.
 */
export type Command =
  | { readonly kind: 'spawn' | 'delegate'; readonly key: string; readonly parentRunId: string; readonly childRunId: string; readonly racing: boolean }
  | { readonly kind: 'complete'; readonly key: string; readonly runId: string; readonly racing: boolean }
  | { readonly kind: 'cancel'; readonly key: string; readonly runId: string; readonly racing: false };

export interface Outcome {
  readonly command: Command;
  /** A 2xx response arrived before the process died. */
  readonly acknowledged: boolean;
  /** Absent when no response arrived. */
  readonly status?: number;
}

/** What a racing command may answer besides a success: it lost the race to the cancel. */
export const LOST_RACE = 409;

/** The runs a burst works on, by the command each gets. */
export interface Trees {
  readonly roots: string[];
  readonly spawnParents: string[];
  readonly completeTargets: string[];
  readonly cancelTargets: string[];
  /** Parents and runs to complete inside the subtrees the cancels end. */
  readonly racingSpawnParents: string[];
  readonly racingCompleteTargets: string[];
}

/** A run to create and its children, by id suffix. */
interface Shape {
  readonly [suffix: string]: Shape;
}

/** Requests in flight at once during a burst. */
export const BURST_LANES = 8;

export function sendCommand(client: RuntreeClient, command: Command) {
  switch (command.kind) {
    case 'spawn':
      return client.post(`/runs/${command.parentRunId}/children`, { runId: command.childRunId, kind: 'worker' }, command.key);
    case 'delegate':
      return client.post(`/runs/${command.parentRunId}/delegations`, { runId: command.childRunId, task: { by: command.key } }, command.key);
    case 'complete':
      return client.post(`/runs/${command.runId}/complete`, { output: { by: command.key } }, command.key);
    case 'cancel':
      return client.post(`/runs/${command.runId}/cancel`, { reason: 'burst' }, command.key);
  }
}

/** An answer the command may give: a success, or for a racing command the refusal of a lost race. */
export const isLegalAnswer = (command: Command, status: number): boolean => isSuccess(status) || (command.racing && status === LOST_RACE);

/** Creates `runId` under `parentRunId` (a root when undefined), then its children in parallel. */
async function createTree(client: RuntreeClient, runId: string, shape: Shape, parentRunId?: string): Promise<void> {
  successBody(parentRunId === undefined ? await client.post('/runs', { runId, kind: 'root' }) : await client.post(`/runs/${parentRunId}/children`, { runId, kind: 'worker' }));
  await Promise.all(Object.entries(shape).map(([suffix, below]) => createTree(client, `${runId}-${suffix}`, below, runId)));
}

/**
 * A working tree (root → two parents of spawns and two leaves to complete) and two trees to cancel in:
 * a subtree (root → x → two parents of two grandchildren each; x is cancelled, its sibling y is not)
 * and a whole tree. Inside both, spawns and completes race the cancel. Ids start with `prefix`, so
 * trees of several cycles share a file.
 */
export async function buildTrees(client: RuntreeClient, prefix: string): Promise<Trees> {
  const working: Shape = { p0: {}, p1: {}, l0: {}, l1: {} };
  const cancelledSubtree: Shape = { x: { g0: { h0: {}, h1: {} }, g1: { h0: {}, h1: {} } }, y: {} };
  const cancelledTree: Shape = { a: { b0: {}, b1: {} }, c: { e0: {} } };
  const [w, d0, d1] = ['w', 'd0', 'd1'].map((name) => `${prefix}-${name}`) as [string, string, string];
  await Promise.all([createTree(client, w, working), createTree(client, d0, cancelledSubtree), createTree(client, d1, cancelledTree)]);
  return {
    roots: [w, d0, d1],
    spawnParents: [w, `${w}-p0`, `${w}-p1`, `${d0}-y`],
    completeTargets: [`${w}-l0`, `${w}-l1`],
    cancelTargets: [`${d0}-x`, d1],
    racingSpawnParents: [`${d0}-x`, `${d0}-x-g0`, `${d0}-x-g1-h0`, d1, `${d1}-a`],
    racingCompleteTargets: [`${d0}-x-g1-h1`, `${d1}-a-b0`],
  };
}

/** A spawn and a delegation under every parent, every complete and cancel, in a seeded random order. */
export function planBurst(trees: Trees, random: SeededRandom): Command[] {
  const children = (parentRunId: string, racing: boolean): Command[] =>
    (['spawn', 'delegate'] as const).map((kind) => ({ kind, key: `${kind}-${parentRunId}`, parentRunId, childRunId: `${parentRunId}-${kind}`, racing }));
  const complete = (runId: string, racing: boolean): Command => ({ kind: 'complete', key: `complete-${runId}`, runId, racing });
  const commands: Command[] = [
    ...trees.spawnParents.flatMap((parent) => children(parent, false)),
    ...trees.racingSpawnParents.flatMap((parent) => children(parent, true)),
    ...trees.completeTargets.map((runId) => complete(runId, false)),
    ...trees.racingCompleteTargets.map((runId) => complete(runId, true)),
    ...trees.cancelTargets.map((runId): Command => ({ kind: 'cancel', key: `cancel-${runId}`, runId, racing: false })),
  ];
  return shuffle(commands, random);
}

function shuffle<T>(items: readonly T[], random: SeededRandom): T[] {
  const shuffled = [...items];
  for (let index = shuffled.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
  }
  return shuffled;
}

/** When the process is killed: `delayMs` after the `trigger`-th command of the plan is sent. */
export interface KillPoint {
  readonly trigger: number;
  readonly delayMs: number;
}

/** Longest wait after the trigger: about one request's time, so the kill lands inside the trigger or its neighbours. */
const MAX_KILL_DELAY_MS = 12;

/**
 * A random kill point anywhere in the burst (a late one may fall after the last answer: then nothing
 * was in flight, and every command must survive); every other cycle it is a cancel, so the kill often
 * lands inside a cancel's walk.
 */
export function randomKillPoint(commands: readonly Command[], random: SeededRandom): KillPoint {
  const cancels = commands.flatMap((command, index) => (command.kind === 'cancel' ? [index] : []));
  const trigger = random.chance(0.5) && cancels.length > 0 ? random.pick(cancels) : random.int(0, commands.length - 1);
  return { trigger, delayMs: random.int(0, MAX_KILL_DELAY_MS) };
}

/**
 * Sends the commands over `BURST_LANES` concurrent lanes and calls `kill` at `killPoint`: the requests
 * in flight then fail, as a client of a crashed service sees them, and the ones not sent yet find no
 * process. The process is dead when this resolves (killed at the end if the burst finished first).
 */
export async function fireBurst(client: RuntreeClient, commands: readonly Command[], killPoint: KillPoint, kill: () => Promise<void>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const queue = commands.map((command, index) => ({ command, index }));
  let killed: Promise<void> | undefined;
  const lane = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { command, index } = next;
      if (index === killPoint.trigger) setTimeout(() => (killed = kill()), killPoint.delayMs);
      const status = await sendCommand(client, command).then(
        (reply) => reply.status,
        () => undefined,
      );
      outcomes.push({ command, acknowledged: status !== undefined && isSuccess(status), ...(status !== undefined ? { status } : {}) });
    }
  };
  await Promise.all(Array.from({ length: BURST_LANES }, lane));
  // The timer may still be pending when every request has been answered.
  await new Promise((resolve) => setTimeout(resolve, killPoint.delayMs + 1));
  await (killed ?? kill());
  return outcomes;
}
