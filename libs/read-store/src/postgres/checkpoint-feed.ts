import pg from 'pg';
import type { Position } from '@runtree/event-store';
import type { StoredCheckpoint } from '../port/changes.js';
import type { CheckpointListener } from '../port/read-store.js';

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 1000;

/** A checkpoint as a notification's payload: `<version> <commit> <prepare>`, or `<version> start`. */
export function checkpointPayload(checkpoint: StoredCheckpoint): string {
  const { position, version } = checkpoint;
  return position === 'start' ? `${version} start` : `${version} ${position.commit} ${position.prepare}`;
}

function parsePayload(payload: string | undefined): StoredCheckpoint | undefined {
  const match = /^(\d+) (?:start|(\d+) (\d+))$/.exec(payload ?? '');
  if (match === null) return undefined;
  const position: Position | 'start' = match[2] === undefined ? 'start' : { commit: BigInt(match[2]), prepare: BigInt(match[3]) };
  return { position, version: Number(match[1]) };
}

/**
 * Every instance's view of the live checkpoint: one connection that LISTENs on the channel the
 * projector NOTIFYs in each commit, so a waiting command wakes when its events are projected,
 * without polling. On (re)connecting it reads the checkpoint once, since a notification sent while
 * it was away is not replayed.
 */
export class CheckpointFeed {
  private readonly listeners = new Set<CheckpointListener>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectDelay = RECONNECT_FIRST_MS;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly readCheckpoint: () => Promise<StoredCheckpoint>,
  ) {}

  add(listener: CheckpointListener): () => void {
    this.listeners.add(listener);
    if (this.client !== undefined && this.connecting === undefined) {
      void this.readCheckpoint().then(
        (checkpoint) => this.listeners.has(listener) && listener.moved(checkpoint),
        (error: Error) => this.listeners.has(listener) && listener.interrupted(error),
      );
    } else this.connect();
    return () => this.listeners.delete(listener);
  }

  /** What this process committed itself: told at once, not after the notification's round trip. */
  announce(checkpoint: StoredCheckpoint): void {
    for (const listener of [...this.listeners]) listener.moved(checkpoint);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.listeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connect(): void {
    if (this.closed || this.connecting !== undefined || this.client !== undefined) return;
    this.connecting = this.open().finally(() => (this.connecting = undefined));
  }

  private async open(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      const checkpoint = message.channel === this.channel ? parsePayload(message.payload) : undefined;
      if (checkpoint !== undefined) this.announce(checkpoint);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the connection that listens for checkpoints ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      const checkpoint = await this.readCheckpoint();
      if (this.closed) return void (await client.end().catch(() => undefined));
      this.client = client;
      this.reconnectDelay = RECONNECT_FIRST_MS;
      this.announce(checkpoint);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error as Error);
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client === client) this.client = undefined;
    if (this.closed) return;
    for (const listener of [...this.listeners]) listener.interrupted(error);
    if (this.reconnectTimer !== undefined) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, this.reconnectDelay);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }
}
