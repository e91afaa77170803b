import type { StoreBenchConfig } from '../store/config.js';

/** The store section's workload (its meaning of each size), sized for a peer that commits about ten times slower here. */
export type PeerSizes = Pick<StoreBenchConfig, 'eventBytes' | 'singleWriterEvents' | 'concurrentWriters' | 'concurrentEvents' | 'batchSize' | 'batchedEvents'>;

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
