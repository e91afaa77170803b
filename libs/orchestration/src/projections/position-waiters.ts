import { comparePositions, type Position } from '@runtree/event-store';

interface Waiter {
  readonly position: Position;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Promises for "the projection has applied everything up to this position". */
export class PositionWaiters {
  private waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  wait(position: Position): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ position, resolve, reject }));
  }

  /** Resolves every waiter at or before `reached`. */
  release(reached: Position | 'start'): void {
    if (reached === 'start' || this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (comparePositions(waiter.position, reached) <= 0) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  rejectAll(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}

/** Whether `position` is at or before `reached`. */
export function hasReached(reached: Position | 'start', position: Position): boolean {
  return reached !== 'start' && comparePositions(position, reached) <= 0;
}
