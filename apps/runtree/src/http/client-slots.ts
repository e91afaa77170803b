import { Inject, Injectable } from '@nestjs/common';
import { OrchestratorError } from '@runtree/orchestration';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntreeConfig } from '../config.js';
import { RUNTREE_CONFIG } from '../security/runtree-config.token.js';
import { whenResponseCloses } from './when-response-closes.js';

/** Seconds a client refused a slot is told to wait: slots free as soon as one of its requests ends. */
export const SLOT_RETRY_AFTER_SECONDS = 1;

/** Long-lived requests one client may hold at once. */
const slotKinds = {
  followers: { limit: 'maxFollowersPerClient', variable: 'RUNTREE_MAX_FOLLOWERS_PER_CLIENT', what: 'journal tails open' },
  awaiters: { limit: 'maxAwaitersPerClient', variable: 'RUNTREE_MAX_AWAITERS_PER_CLIENT', what: 'awaits waiting' },
} as const;

export type SlotKind = keyof typeof slotKinds;

/**
 * Counts each client's journal tails and awaits. A client is the TCP peer address of the request
 * (behind a reverse proxy, every client is the proxy). A slot is taken when the request starts and
 * given back once, when its response closes: answered, timed out, or disconnected.
 */
@Injectable()
export class ClientSlots {
  private readonly held = new Map<string, number>();

  constructor(@Inject(RUNTREE_CONFIG) private readonly config: RuntreeConfig) {}

  /** Takes a slot for the request until its response closes, or refuses with 429 `too_many_requests`. */
  occupy(kind: SlotKind, request: IncomingMessage, response: ServerResponse): void {
    const { limit, variable, what } = slotKinds[kind];
    const max = this.config.limits[limit];
    const client = request.socket.remoteAddress ?? 'unknown';
    const key = `${kind} ${client}`;
    const count = this.held.get(key) ?? 0;
    if (count >= max) {
      response.setHeader('Retry-After', String(SLOT_RETRY_AFTER_SECONDS));
      throw new OrchestratorError('too_many_requests', `Client ${client} already has ${count} ${what}, the most allowed (${variable}=${max}); retry when one ends`, {
        limit,
        max,
        client,
      });
    }
    this.held.set(key, count + 1);
    whenResponseCloses(response, () => {
      const remaining = (this.held.get(key) ?? 1) - 1;
      if (remaining > 0) this.held.set(key, remaining);
      else this.held.delete(key);
    });
  }
}
