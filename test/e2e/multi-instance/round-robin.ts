import type { RuntreeClient } from '../process/runtree-client.js';
import type { Routing } from './fleet-ledger.js';

/**
 * Commands go to the live instances in turn; their effects are read on the readers. Both lists
 * change as the test kills and restarts instances; `clients` is updated in place on a restart.
 */
export class RoundRobin implements Routing {
  private sent = 0;

  constructor(
    private readonly clients: readonly RuntreeClient[],
    public live: readonly number[],
    public readers: readonly number[],
  ) {}

  next(): number {
    return this.live[this.sent++ % this.live.length]!;
  }

  readersFor(instance: number): readonly number[] {
    return this.readers.filter((reader) => reader !== instance);
  }

  client(instance: number): RuntreeClient {
    return this.clients[instance]!;
  }
}
