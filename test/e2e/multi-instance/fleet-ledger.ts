import { isSuccess, type Reply, type RuntreeClient } from '../process/runtree-client.js';
import { sendFleetCommand, showsEffect, type FleetCommand } from './fleet-commands.js';

/** Which instance gets a request, and which ones check what it did. */
export interface Routing {
  /** The instance the next attempt of a command goes to. */
  next(): number;
  /** The instances that read a command's effect once `instance` acknowledged it: never one that may die meanwhile. */
  readersFor(instance: number): readonly number[];
  client(instance: number): RuntreeClient;
}

/** One request of a command; no `status`: no answer came (the instance died, or the request timed out). */
export interface Attempt {
  readonly instance: number;
  readonly status?: number;
}

export interface LedgerEntry {
  readonly command: FleetCommand;
  readonly attempts: Attempt[];
  /** The instance whose 2xx acknowledged the command. */
  acknowledgedBy?: number;
}

/** A read on `readBy` right after `acknowledgedBy` acknowledged the command that did not show it. */
export interface MissedRead {
  readonly key: string;
  readonly acknowledgedBy: number;
  readonly readBy: number;
  readonly why: string;
}

/** Long enough for a takeover and a loaded machine; a command still refused after it fails the test. */
const ACKNOWLEDGE_DEADLINE_MS = 60_000;
const RETRY_DELAY_MS = 100;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends commands as a careful client does: a 503 or no answer is retried, with the same
 * Idempotency-Key, on the next instance, until one acknowledges it; any other answer is a failure.
 * Every acknowledgement is followed at once by one read of its effect on each reader instance.
 */
export class FleetLedger {
  readonly entries = new Map<string, LedgerEntry>();
  readonly missedReads: MissedRead[] = [];
  readYourWritesChecks = 0;

  constructor(
    private readonly routing: Routing,
    /** Called as each attempt is sent, with the instance it goes to (e.g. to kill that instance with it in flight). */
    private readonly onSend: (instance: number) => void = () => undefined,
  ) {}

  async send(command: FleetCommand): Promise<void> {
    if (this.entries.has(command.key)) throw new Error(`command ${command.key} is in the ledger already`);
    const entry: LedgerEntry = { command, attempts: [] };
    this.entries.set(command.key, entry);
    const deadline = performance.now() + ACKNOWLEDGE_DEADLINE_MS;
    for (;;) {
      const instance = this.routing.next();
      this.onSend(instance);
      const reply: Reply | undefined = await sendFleetCommand(this.routing.client(instance), command).catch(() => undefined);
      entry.attempts.push({ instance, ...(reply ? { status: reply.status } : {}) });
      if (reply !== undefined && isSuccess(reply.status)) {
        entry.acknowledgedBy = instance;
        return this.checkReads(command, instance);
      }
      if (reply !== undefined && reply.status !== 503) {
        throw new Error(`${command.key} on instance ${instance} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      }
      if (performance.now() > deadline) throw new Error(`${command.key} was not acknowledged within ${ACKNOWLEDGE_DEADLINE_MS} ms: ${JSON.stringify(entry.attempts)}`);
      await delay(RETRY_DELAY_MS);
    }
  }

  /** Read-your-writes: one immediate read per reader, no retry. */
  private async checkReads(command: FleetCommand, acknowledgedBy: number): Promise<void> {
    await Promise.all(
      this.routing.readersFor(acknowledgedBy).map(async (readBy) => {
        this.readYourWritesChecks++;
        const seen = await showsEffect(this.routing.client(readBy), command).catch((error: unknown) => error as Error);
        if (seen !== true) this.missedReads.push({ key: command.key, acknowledgedBy, readBy, why: seen === false ? 'effect not shown' : `read failed: ${seen.message}` });
      }),
    );
  }

  get acknowledged(): LedgerEntry[] {
    return [...this.entries.values()].filter((entry) => entry.acknowledgedBy !== undefined);
  }

  /** Requests sent, and of them the ones unanswered and the ones answered 503. */
  get figures(): { commands: number; requests: number; acknowledged: number; retried: number; unanswered: number; unavailable: number } {
    const entries = [...this.entries.values()];
    const attempts = entries.flatMap((entry) => entry.attempts);
    return {
      commands: entries.length,
      requests: attempts.length,
      acknowledged: this.acknowledged.length,
      retried: entries.filter((entry) => entry.attempts.length > 1).length,
      unanswered: attempts.filter((attempt) => attempt.status === undefined).length,
      unavailable: attempts.filter((attempt) => attempt.status === 503).length,
    };
  }
}
