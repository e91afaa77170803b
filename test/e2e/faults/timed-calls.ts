import type { Reply } from '../process/runtree-client.js';

/** One HTTP call of a fault test: how it was answered (no `status`: no answer came) and how long it took. */
export interface TimedCall {
  readonly what: string;
  readonly kind: 'command' | 'read' | 'health';
  readonly ms: number;
  readonly status?: number;
  readonly errorCode?: string;
}

/** Keeps every call made through it, for the test's checks and its summary. */
export class TimedCalls {
  readonly calls: TimedCall[] = [];

  async time(what: string, kind: TimedCall['kind'], call: () => Promise<Reply>): Promise<Reply | undefined> {
    const startedAt = performance.now();
    const reply = await call().catch(() => undefined);
    const errorCode = (reply?.body as { error?: { code?: string } } | undefined)?.error?.code;
    this.calls.push({ what, kind, ms: performance.now() - startedAt, ...(reply ? { status: reply.status } : {}), ...(errorCode ? { errorCode } : {}) });
    return reply;
  }

  of(kind: TimedCall['kind']): TimedCall[] {
    return this.calls.filter((call) => call.kind === kind);
  }

  /** The longest call of `kind`, in whole ms (0 when there was none). */
  slowest(kind: TimedCall['kind']): number {
    return Math.round(Math.max(0, ...this.of(kind).map((call) => call.ms)));
  }
}
