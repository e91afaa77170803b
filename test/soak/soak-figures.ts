/** What the clients sent and got back, counted as they go. */
export class SoakFigures {
  sent = 0;
  ok = 0;
  serverErrors = 0;
  awaitsSent = 0;
  readonly awaitsAnswered = { ended: 0, timedOut: 0 };
  /** Refusals by error code (lost races are expected under this load). */
  readonly refusedByCode = new Map<string, number>();
  readonly sentByAction = new Map<string, number>();
  /** Requests that got no response at all. */
  readonly transportErrors: string[] = [];
  /** Answers no client of these trees should get (a 400, a 404 for a run that exists, a 5xx). */
  readonly unexpected: string[] = [];

  count(action: string, status: number, refusal: string | undefined): void {
    this.sent++;
    this.sentByAction.set(action, (this.sentByAction.get(action) ?? 0) + 1);
    if (status >= 500) {
      this.serverErrors++;
      this.unexpected.push(`${action}: ${status} ${refusal ?? ''}`);
    } else if (refusal === undefined) this.ok++;
    else this.refusedByCode.set(refusal, (this.refusedByCode.get(refusal) ?? 0) + 1);
  }

  get awaitsUnanswered(): number {
    return this.awaitsSent - this.awaitsAnswered.ended - this.awaitsAnswered.timedOut;
  }

  describe(): string[] {
    const byKey = (counts: ReadonlyMap<string, number>) => [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `${key} ${count}`).join(', ') || 'none';
    return [
      `commands sent ${this.sent} (${byKey(this.sentByAction)}), ok ${this.ok}, refused ${this.sent - this.ok - this.serverErrors} (${byKey(this.refusedByCode)}), 5xx ${this.serverErrors}, no response ${this.transportErrors.length}`,
      `awaits sent ${this.awaitsSent}, answered ${this.awaitsAnswered.ended + this.awaitsAnswered.timedOut} (run ended ${this.awaitsAnswered.ended}, timeout ${this.awaitsAnswered.timedOut}), unanswered ${this.awaitsUnanswered}`,
    ];
  }
}
