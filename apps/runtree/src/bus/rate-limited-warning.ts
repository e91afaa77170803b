import type { Logger } from '@nestjs/common';

/**
 * Logs at most one warning per interval and counts the ones it held back, so a sender that
 * repeats a mistake (or floods junk on purpose) costs one log line a minute, not one per message.
 */
export class RateLimitedWarning {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private heldBack = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  warn(message: string): void {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.heldBack += 1;
      return;
    }
    const since = this.heldBack === 0 ? '' : ` (${this.heldBack} more like it since the last such warning)`;
    this.logger.warn(`${message}${since}`);
    this.lastLoggedAt = now;
    this.heldBack = 0;
  }
}
