/** The store section's workload (see bench/store/sizes.ts), sized for a peer that commits about ten times slower here. */
export interface PeerSizes {
  readonly eventBytes: number;
  readonly singleWriterEvents: number;
  readonly concurrentWriters: number;
  /** Over all concurrent writers. */
  readonly concurrentEvents: number;
  readonly batchSize: number;
  readonly batchedEvents: number;
}

const FULL: PeerSizes = {
  eventBytes: 300,
  singleWriterEvents: 1000,
  concurrentWriters: 64,
  concurrentEvents: 3200,
  batchSize: 100,
  batchedEvents: 50_000,
};

const QUICK: PeerSizes = { ...FULL, singleWriterEvents: 300, concurrentEvents: 640, batchedEvents: 10_000 };

export function peerSizes(quick: boolean): PeerSizes {
  return quick ? QUICK : FULL;
}
