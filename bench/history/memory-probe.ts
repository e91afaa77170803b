/**
 * Preloaded into the service by the history section (`node --expose-gc --import memory-probe.js
 * main.js`): on SIGWINCH it collects garbage and prints the process's memory on one stdout line, so
 * the bench reads a settled heap without a route of its own in the service. Not SIGUSR2: Nest's
 * shutdown hooks, which the service enables, stop the process on it.
 */
import { settledMemoryUsage } from '../support/heap.js';
import { MEMORY_LINE_PREFIX, MEMORY_SIGNAL } from './memory-line.js';

process.on(MEMORY_SIGNAL, () => {
  process.stdout.write(`${MEMORY_LINE_PREFIX}${JSON.stringify(settledMemoryUsage())}\n`);
});
