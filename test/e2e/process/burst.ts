import { isSuccess, successBody, type RuntreeClient } from './runtree-client.js';

/** A command of the burst; its Idempotency-Key is fixed so that it can be re-sent as a retry. */
export type Command =
  | { readonly kind: 'spawn'; readonly key: string; readonly parentRunId: string; readonly childRunId: string }
  | { readonly kind: 'complete'; readonly key: string; readonly runId: string }
  | { readonly kind: 'cancel'; readonly key: string; readonly runId: string };

export interface Outcome {
  readonly command: Command;
  /** A 2xx response arrived before the process died. */
  readonly acknowledged: boolean;
  /** Absent when no response arrived. */
  readonly status?: number;
}

/** The runs a burst works on: no command's target lies in a subtree another command cancels. */
export interface Trees {
  readonly roots: string[];
  readonly spawnParents: string[];
  readonly completeTargets: string[];
  readonly cancelTargets: string[];
}

const SPAWNS_PER_PARENT = 4;
/** Requests in flight at once during a burst. */
const BURST_LANES = 8;

export function sendCommand(client: RuntreeClient, command: Command) {
  switch (command.kind) {
    case 'spawn':
      return client.post(`/runs/${command.parentRunId}/children`, { runId: command.childRunId, kind: 'worker' }, command.key);
    case 'complete':
      return client.post(`/runs/${command.runId}/complete`, { output: { by: command.key } }, command.key);
    case 'cancel':
      return client.post(`/runs/${command.runId}/cancel`, { reason: 'burst' }, command.key);
  }
}

/**
 * Three working trees (root → two parents of spawns and two leaves to complete) and two trees to cancel
 * in: a subtree (root → x → two grandchildren; x is cancelled, its sibling y is not) and a whole tree.
 * Ids start with `prefix`, so trees of several cycles share a file.
 */
export async function buildTrees(client: RuntreeClient, prefix: string): Promise<Trees> {
  const start = async (runId: string) => successBody(await client.post('/runs', { runId, kind: 'root' }));
  const spawn = async (parentRunId: string, runId: string) => successBody(await client.post(`/runs/${parentRunId}/children`, { runId, kind: 'worker' }));
  const trees: Trees = { roots: [], spawnParents: [], completeTargets: [], cancelTargets: [] };
  for (const root of [0, 1, 2].map((index) => `${prefix}-w${index}`)) {
    await start(root);
    trees.roots.push(root);
    trees.spawnParents.push(root);
    for (const child of [`${root}-p0`, `${root}-p1`]) {
      await spawn(root, child);
      trees.spawnParents.push(child);
    }
    for (const leaf of [`${root}-l0`, `${root}-l1`]) {
      await spawn(root, leaf);
      trees.completeTargets.push(leaf);
    }
  }
  for (const [root, target] of [[`${prefix}-d0`, `${prefix}-d0-x`], [`${prefix}-d1`, `${prefix}-d1`]] as const) {
    await start(root);
    trees.roots.push(root);
    await spawn(root, `${root}-x`);
    await spawn(`${root}-x`, `${root}-x-g0`);
    await spawn(`${root}-x`, `${root}-x-g1`);
    await spawn(root, `${root}-y`);
    trees.cancelTargets.push(target);
  }
  return trees;
}

/** Spawns under every parent, completes and cancels, interleaved so the cancels fall mid-burst. */
export function planBurst(trees: Trees): Command[] {
  const spawns: Command[] = [];
  for (let index = 0; index < SPAWNS_PER_PARENT; index++) {
    for (const parentRunId of trees.spawnParents) {
      const childRunId = `${parentRunId}-s${index}`;
      spawns.push({ kind: 'spawn', key: `spawn-${childRunId}`, parentRunId, childRunId });
    }
  }
  const completes = trees.completeTargets.map((runId): Command => ({ kind: 'complete', key: `complete-${runId}`, runId }));
  const cancels = trees.cancelTargets.map((runId): Command => ({ kind: 'cancel', key: `cancel-${runId}`, runId }));
  const third = Math.floor(spawns.length / 3);
  return [...spawns.slice(0, third), cancels[0]!, ...completes, ...spawns.slice(third, 2 * third), cancels[1]!, ...spawns.slice(2 * third)];
}

/**
 * Sends the commands over `BURST_LANES` concurrent lanes and calls `kill` as the `killAfter`-th
 * acknowledgement arrives: the requests in flight then fail, as a client of a crashed service sees
 * them, and the ones not sent yet find no process (so some command is always unacknowledged when
 * `killAfter` leaves more than a lane's worth unsent). The process is dead when this resolves (killed
 * at the end if fewer acknowledgements came).
 */
export async function fireBurst(client: RuntreeClient, commands: readonly Command[], killAfter: number, kill: () => Promise<void>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const queue = [...commands];
  let acknowledged = 0;
  let killed: Promise<void> | undefined;
  const lane = async () => {
    for (let command = queue.shift(); command !== undefined; command = queue.shift()) {
      const status = await sendCommand(client, command).then(
        (reply) => reply.status,
        () => undefined,
      );
      const success = status !== undefined && isSuccess(status);
      if (success && ++acknowledged === killAfter) killed = kill();
      outcomes.push({ command, acknowledged: success, ...(status !== undefined ? { status } : {}) });
    }
  };
  await Promise.all(Array.from({ length: BURST_LANES }, lane));
  await (killed ?? kill());
  return outcomes;
}
