// Streams/Read as a subscription: confirmation, catch-up events, caught_up, then live events as
// they are appended. Filtered $all subscriptions also send checkpoints. Writes wait for gRPC flow
// control, so a slow client is never skipped ahead.
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { failCall } from './active-calls.js';
import { serviceError, streamDeletedError } from './errors.js';
import { checkpointIntervalOf, eventPredicateOf, type EventPredicate } from './event-filter.js';
import type { EventLog } from './event-log.js';
import type { StoredEvent } from './model.js';
import { streamsPb, type StreamsPb } from './protocol.js';
import { ALL_POSITION_CASE, allStartIndex, invalidPositionError, REVISION_CASE } from './read.js';
import { parseUint64, readEventResponse, streamNameOf } from './wire.js';

type ReadCall = ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>;

interface ScannedRecord {
  readonly record: StoredEvent;
  /** False for records the subscription reads past without sending (filtered out, truncated). */
  readonly matches: boolean;
}

/** Where a subscription reads next; returns undefined at the current end of the log. */
interface SubscriptionSource {
  next(): ScannedRecord | undefined;
}

export function subscribeToStream(log: EventLog, options: StreamsPb.ReadReq.Options, call: ReadCall): void {
  const streamOptions = options.getStream() as StreamsPb.ReadReq.Options.StreamOptions;
  const streamName = streamNameOf(streamOptions.getStreamIdentifier());
  if (log.isTombstoned(streamName)) return failCall(call, streamDeletedError(streamName));
  let nextRevision = 0n;
  if (streamOptions.getRevisionOptionCase() === REVISION_CASE.REVISION) {
    nextRevision = parseUint64(streamOptions.getRevision()) + 1n;
  } else if (streamOptions.getRevisionOptionCase() === REVISION_CASE.END) {
    nextRevision = BigInt(log.streamEvents(streamName).length);
  }
  const source: SubscriptionSource = {
    next() {
      const record = log.streamEvents(streamName)[Number(nextRevision)];
      if (!record) return undefined;
      nextRevision += 1n;
      const truncateBefore = log.metadataRules(streamName).truncateBefore;
      return { record, matches: truncateBefore === undefined || record.revision >= truncateBefore };
    },
  };
  new SubscriptionPump(log, call, source, options).start();
}

export function subscribeToAll(log: EventLog, options: StreamsPb.ReadReq.Options, call: ReadCall): void {
  const allOptions = options.getAll() as StreamsPb.ReadReq.Options.AllOptions;
  const startIndex = allStartIndex(log, allOptions);
  if (startIndex === undefined) return failCall(call, invalidPositionError());
  // A subscription starts strictly after the given position.
  let nextIndex = allOptions.getAllOptionCase() === ALL_POSITION_CASE.POSITION ? startIndex + 1 : startIndex;
  const matches: EventPredicate = eventPredicateOf(options.getFilter());
  const source: SubscriptionSource = {
    next() {
      const record = log.recordAt(nextIndex);
      if (!record) return undefined;
      nextIndex += 1;
      return { record, matches: matches(record) };
    },
  };
  const filter = options.getFilter();
  new SubscriptionPump(log, call, source, options, filter && checkpointIntervalOf(filter)).start();
}

class SubscriptionPump {
  private closed = false;
  private appendedSinceWait = false;
  private waitingForDrain = false;
  /** Resolves the pump's current wait: for an append, or for the client to drain. */
  private resume: (() => void) | undefined;
  private readonly structuredUuids: boolean;
  private readonly stopListening: () => void;

  constructor(
    log: EventLog,
    private readonly call: ReadCall,
    private readonly source: SubscriptionSource,
    options: StreamsPb.ReadReq.Options,
    private readonly checkpointInterval?: number,
  ) {
    this.structuredUuids = options.getUuidOption()?.hasStructured() ?? false;
    this.stopListening = log.onAppend(() => {
      this.appendedSinceWait = true;
      if (!this.waitingForDrain) this.continue();
    });
    const close = () => {
      this.closed = true;
      this.stopListening();
      this.continue();
    };
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
  }

  start(): void {
    void this.run().catch((error: unknown) =>
      failCall(this.call, serviceError(status.INTERNAL, error instanceof Error ? error.message : String(error))),
    );
  }

  private async run(): Promise<void> {
    const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(crypto.randomUUID());
    await this.send(new streamsPb.ReadResp().setConfirmation(confirmation));
    let caughtUp = false;
    let readSinceCheckpoint = 0;
    while (!this.closed) {
      const scanned = this.source.next();
      if (scanned) {
        if (scanned.matches) await this.send(readEventResponse(scanned.record, { structuredUuids: this.structuredUuids }));
        readSinceCheckpoint += 1;
        if (this.checkpointInterval !== undefined && readSinceCheckpoint >= this.checkpointInterval) {
          readSinceCheckpoint = 0;
          await this.send(checkpointResponse(scanned.record));
        }
      } else if (!caughtUp) {
        caughtUp = true;
        await this.send(new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp()));
      } else if (this.appendedSinceWait) {
        this.appendedSinceWait = false;
      } else {
        await new Promise<void>((resolve) => (this.resume = resolve));
      }
    }
  }

  private async send(response: StreamsPb.ReadResp): Promise<void> {
    if (this.closed || this.call.write(response)) return;
    this.waitingForDrain = true;
    await new Promise<void>((resolve) => {
      this.resume = resolve;
      this.call.once('drain', () => this.continue());
    });
    this.waitingForDrain = false;
  }

  private continue(): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }
}

function checkpointResponse(record: StoredEvent): StreamsPb.ReadResp {
  const checkpoint = new streamsPb.ReadResp.Checkpoint()
    .setCommitPosition(record.position.commit.toString(10))
    .setPreparePosition(record.position.prepare.toString(10));
  return new streamsPb.ReadResp().setCheckpoint(checkpoint);
}
