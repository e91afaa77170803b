/** How the CLI ends: 0 all good, 1 a check failed or a difference was found, 2 bad usage or unreadable input. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A mistake in the command line or its input: reported in one line, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
