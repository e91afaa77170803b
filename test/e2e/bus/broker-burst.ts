import type { BusOperation } from '../../../apps/runtree/src/bus/index.js';
import type { BusCaller } from './bus-harness.js';

/** A command of the burst, with its command id: re-sending it is a retry, not a second command. */
export interface BusCommand {
  readonly operation: Extract<BusOperation, 'run.start' | 'run.spawn' | 'run.complete'>;
  readonly commandId: string;
  readonly payload: Record<string, unknown>;
}

export interface BurstOutcome {
  readonly command: BusCommand;
  /** A success reply arrived (possibly after retries). */
  readonly acknowledged: boolean;
  readonly attempts: number;
  /** The error reply, if the service refused the command. */
  readonly refused?: unknown;
}

/** A trees' shape: each lane builds one tree, in order (root, children, their completion, the root's). */
export interface BurstShape {
  readonly trees: number;
  readonly childrenPerTree: number;
}

/** An attempt longer than this is taken as lost with the connection (the reply will not come). */
const ATTEMPT_TIMEOUT_MS = 3_000;
const RETRY_AFTER_MS = 250;
/** A command not acknowledged by then counts as unacknowledged (the broker never came back). */
const GIVE_UP_AFTER_MS = 40_000;

export function rootOf(prefix: string, tree: number): string {
  return `${prefix}-t${tree}`;
}

/** The commands of each lane, in the order the lane sends them. */
export function planLanes(prefix: string, shape: BurstShape): BusCommand[][] {
  return Array.from({ length: shape.trees }, (_, tree) => {
    const root = rootOf(prefix, tree);
    const children = Array.from({ length: shape.childrenPerTree }, (_, child) => `${root}-c${child}`);
    return [
      { operation: 'run.start', commandId: `start-${root}`, payload: { runId: root, kind: 'root', commandId: `start-${root}` } },
      ...children.map((child): BusCommand => ({
        operation: 'run.spawn',
        commandId: `spawn-${child}`,
        payload: { parent: root, runId: child, kind: 'worker', commandId: `spawn-${child}` },
      })),
      ...[...children, root].map((runId): BusCommand => ({
        operation: 'run.complete',
        commandId: `complete-${runId}`,
        payload: { runId, output: { by: `complete-${runId}` }, commandId: `complete-${runId}` },
      })),
    ];
  });
}

/** Sends the command until a reply comes, as a backend does when the broker goes away under it. */
async function sendUntilAcknowledged(bus: BusCaller, command: BusCommand): Promise<BurstOutcome> {
  const deadline = Date.now() + GIVE_UP_AFTER_MS;
  for (let attempts = 1; ; attempts++) {
    try {
      const reply = await bus.call(command.operation, command.payload, ATTEMPT_TIMEOUT_MS);
      return reply.ok ? { command, acknowledged: true, attempts } : { command, acknowledged: false, attempts, refused: reply.error };
    } catch {
      // No reply: the request or its reply was lost with the connection, or the client is reconnecting.
      if (Date.now() > deadline) return { command, acknowledged: false, attempts };
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
    }
  }
}

/**
 * Runs the lanes concurrently; `onAcknowledged` hears the running count of acknowledgements (a test
 * injects its faults from there, so they fall mid-burst).
 */
export async function fireBurst(bus: BusCaller, lanes: readonly BusCommand[][], onAcknowledged: (count: number) => void): Promise<BurstOutcome[]> {
  const outcomes: BurstOutcome[] = [];
  await Promise.all(
    lanes.map(async (lane) => {
      for (const command of lane) {
        const outcome = await sendUntilAcknowledged(bus, command);
        outcomes.push(outcome);
        if (!outcome.acknowledged) return; // the rest of the lane depends on it
        onAcknowledged(outcomes.filter((each) => each.acknowledged).length);
      }
    }),
  );
  return outcomes;
}
