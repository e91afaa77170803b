/**
 * The peer section: engines a user might pick instead of Runtree, durable, measured in the same run:
 * Emmett (the store section's workload), DBOS and BullMQ flows (the orchestration section's), each
 * figure with "Runtree ÷ peer". Each peer is loaded and run as a phase of its own: a peer whose
 * package, server or pool fails fails only its own figures.
 */
import type { BenchSection } from '../support/section.js';
import { SectionRun } from '../support/section-run.js';

export const peerBench: BenchSection = async (context) => {
  const run = new SectionRun(context, 'peer');
  // Imported here, not at the top: a peer package that is missing or broken must not stop the bench from loading.
  await run.phase('Emmett', async () => (await import('./emmett-peer.js')).measureEmmettPeer(context, run));
  await run.phase('DBOS', async () => (await import('./dbos-peer.js')).measureDbosPeer(context, run));
  await run.phase('BullMQ', async () => (await import('./bullmq-peer.js')).measureBullmqPeer(context, run));
  run.notes.push(
    'Runtree ÷ peer: for a rate above 1 means Runtree did more; for a time (ms) below 1 means Runtree took less. DBOS and BullMQ run the orchestration',
    "section's sizes (its flags set both) and are compared with its SQLite figures; each of their trees is built just before it is cancelled, untimed.",
  );
  return { name: 'peer: Emmett, DBOS, BullMQ (durable)', figures: run.figures, notes: run.notes, failures: run.failures };
};
