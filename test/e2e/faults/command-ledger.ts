import { sendCommand, type Command } from '../process/burst.js';
import { isSuccess, type RuntreeClient } from '../process/runtree-client.js';

/** One command sent during a fault test, and how it was answered (no `status`: no answer came). */
export interface SentCommand {
  readonly command: Command;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** A stretch of time with the store down: from when it was down to when it was brought back. */
export interface Outage {
  readonly down: number;
  up?: number;
}

/** Sends commands and keeps what happened to each, and when the store was down, for the test's checks and summary. */
export class CommandLedger {
  readonly sent: SentCommand[] = [];
  readonly outages: Outage[] = [];

  constructor(private readonly client: RuntreeClient) {}

  /** Sends one command; true when it was confirmed (2xx). */
  async send(command: Command): Promise<boolean> {
    const startedAt = performance.now();
    const reply = await sendCommand(this.client, command).catch(() => undefined);
    const error = (reply?.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    this.sent.push({
      command,
      startedAt,
      finishedAt: performance.now(),
      ...(reply ? { status: reply.status } : {}),
      ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
    });
    return reply !== undefined && isSuccess(reply.status);
  }

  storeDown(): void {
    this.outages.push({ down: performance.now() });
  }

  storeBack(): void {
    this.outages[this.outages.length - 1]!.up = performance.now();
  }

  get confirmed(): SentCommand[] {
    return this.sent.filter((entry) => entry.status !== undefined && isSuccess(entry.status));
  }

  /** Commands sent and answered entirely while the store was down. */
  get duringOutages(): SentCommand[] {
    return this.sent.filter((entry) => this.outages.some((outage) => entry.startedAt >= outage.down && entry.finishedAt <= (outage.up ?? Infinity)));
  }

  /** Confirmed commands that started after the store came back the last time. */
  confirmedSinceLastOutage(): number {
    const lastUp = this.outages.at(-1)?.up ?? 0;
    return this.confirmed.filter((entry) => entry.startedAt >= lastUp).length;
  }

  failedDuringOutage(outage: Outage): number {
    return this.sent.filter((entry) => entry.startedAt >= outage.down && entry.status === 503).length;
  }
}
