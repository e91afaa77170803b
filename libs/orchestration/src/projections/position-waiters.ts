import { comparePositions, type Position } from '@runtree/event-store';

interface Waiter {
  readonly position: Position;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** Promises for "the read models have applied everything up to this position", each with an optional deadline. */
export class PositionWaiters {
  private waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /** `deadline` (optional) rejects with the error it gives if the position is not reached within `ms`. */
  wait(position: Position, deadline?: { readonly ms: number; readonly error: () => Error }): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { position, resolve, reject };
      if (deadline !== undefined) this.arm(waiter, deadline.ms, deadline.error);
      this.waiters.push(waiter);
    });
  }

  /** Resolves every waiter at or before `reached`. */
  release(reached: Position | 'start'): void {
    if (reached === 'start' || this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (comparePositions(waiter.position, reached) <= 0) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      } else still.push(waiter);
    }
    this.waiters = still;
  }

  /** Every waiter that has a deadline gets a shorter one (the read side is failing: do not make callers wait long). */
  shortenDeadlines(ms: number, error: () => Error): void {
    for (const waiter of this.waiters) if (waiter.timer !== undefined) this.arm(waiter, ms, error);
  }

  rejectAll(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  private arm(waiter: Waiter, ms: number, error: () => Error): void {
    clearTimeout(waiter.timer);
    waiter.timer = setTimeout(() => {
      this.waiters = this.waiters.filter((other) => other !== waiter);
      waiter.reject(error());
    }, ms);
  }
}

/** Whether `position` is at or before `reached`. */
export function hasReached(reached: Position | 'start', position: Position): boolean {
  return reached !== 'start' && comparePositions(position, reached) <= 0;
}
