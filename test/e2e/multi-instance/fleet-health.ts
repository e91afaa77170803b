import type { RuntreeClient } from '../process/runtree-client.js';

/** What one instance's GET /health says about it. */
export interface InstanceHealth {
  readonly status: number;
  /** Absent when the projection indicator is down (or the instance did not answer). */
  readonly role?: 'projector' | 'reader';
  readonly lag?: number;
  /** The indicators that are down. */
  readonly down: string[];
}

interface HealthBody {
  readonly details?: Record<string, { readonly status?: string; readonly role?: 'projector' | 'reader'; readonly lag?: number }>;
}

/** GET /health of one instance; an instance that does not answer reads as status 0. */
export async function healthOf(client: RuntreeClient): Promise<InstanceHealth> {
  const reply = await client.get('/health').catch(() => undefined);
  if (reply === undefined) return { status: 0, down: ['(no answer)'] };
  const details = (reply.body as HealthBody).details ?? {};
  const projection = details.projection;
  const down = Object.entries(details)
    .filter(([, indicator]) => indicator.status !== 'up')
    .map(([name]) => name);
  return {
    status: reply.status,
    ...(projection?.role !== undefined ? { role: projection.role } : {}),
    ...(projection?.lag !== undefined ? { lag: projection.lag } : {}),
    down,
  };
}

/** The roles the instances report, in slot order. */
export async function rolesOf(clients: readonly RuntreeClient[]): Promise<(InstanceHealth['role'] | undefined)[]> {
  return Promise.all(clients.map(async (client) => (await healthOf(client)).role));
}
