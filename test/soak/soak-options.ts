import { seedFrom } from '../support/seeded-random.js';

export interface SoakOptions {
  /** Seconds the clients keep sending (the warm-up and the checks come on top). */
  readonly durationS: number;
  readonly clients: number;
  readonly seed: number;
}

export const USAGE = `Usage: npm run soak -- [--duration <seconds>] [--clients <count>] [--seed <integer>]
  --duration  seconds of load after the warm-up (default 60)
  --clients   concurrent HTTP clients (default 200)
  --seed      replays the clients' choices (timing still varies)`;

const DEFAULTS = { durationS: 60, clients: 200 };
/** Guards against a typo that would run for hours or open thousands of sockets. */
const LIMITS = { durationS: 3_600, clients: 2_000 };

/** The options from argv, or an error naming the flag and the reason. */
export function parseSoakOptions(argv: readonly string[]): { ok: true; options: SoakOptions } | { ok: false; error: string } | { ok: 'help' } {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    if (flag === '--help' || flag === '-h') return { ok: 'help' };
    if (!['--duration', '--clients', '--seed'].includes(flag)) return { ok: false, error: `unknown option ${flag}` };
    const value = argv[++index];
    if (value === undefined) return { ok: false, error: `${flag} needs a value` };
    values.set(flag, value);
  }
  const positive = (flag: string, fallback: number, max: number): number | string => {
    const value = values.get(flag);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) return `${flag} must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`;
    return Number(value);
  };
  const durationS = positive('--duration', DEFAULTS.durationS, LIMITS.durationS);
  const clients = positive('--clients', DEFAULTS.clients, LIMITS.clients);
  if (typeof durationS === 'string') return { ok: false, error: durationS };
  if (typeof clients === 'string') return { ok: false, error: clients };
  try {
    return { ok: true, options: { durationS, clients, seed: seedFrom(values.get('--seed')) } };
  } catch (error) {
    return { ok: false, error: `--seed: ${(error as Error).message}` };
  }
}
