import { EventStoreError, type EventStore } from '@runtree/event-store';
import type { StoreCall, StoreCallFinished } from '../facade/orchestrator-observer.js';
import { inSpan } from '../tracing/tracer.js';

type Report = (event: StoreCallFinished) => void;

/** Times one store call into a span (its stream, or the streams of one multi-stream append) and the observer's report, whatever its outcome. */
async function observed<T>(call: StoreCall, streams: string | readonly string[] | undefined, report: Report | undefined, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let outcome = 'ok';
  try {
    return await inSpan(`store.${call}`, streams === undefined ? {} : { 'runtree.stream': typeof streams === 'string' ? streams : [...streams] }, work);
  } catch (error) {
    outcome = error instanceof EventStoreError ? error.code : 'error';
    throw error;
  } finally {
    report?.({ call, outcome, durationMs: performance.now() - started });
  }
}

/**
 * The store the orchestrator uses, with every append and read traced (a span each) and timed for
 * the observer (metrics). Subscriptions, metadata and deletes pass through untouched.
 */
export function observedStore(store: EventStore, report: Report | undefined): EventStore {
  const observedStore: EventStore = {
    appendToStream: (streamName, events, options) => observed('append', streamName, report, () => store.appendToStream(streamName, events, options)),
    readStream: (streamName, options) => observed('read', streamName, report, () => store.readStream(streamName, options)),
    readStreams: (streamNames, options) => observed('read', undefined, report, () => store.readStreams(streamNames, options)),
    readAll: (options) => observed('read', undefined, report, () => store.readAll(options)),
    subscribeToStream: (streamName, options) => store.subscribeToStream(streamName, options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    getStreamMetadata: (streamName) => store.getStreamMetadata(streamName),
    setStreamMetadata: (streamName, metadata, options) => store.setStreamMetadata(streamName, metadata, options),
    deleteStream: (streamName, options) => store.deleteStream(streamName, options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
  // Optional on the port: present here only when the store has them (the write side and health checks look for them).
  const { appendToStreams, checkWritable } = store;
  return {
    ...observedStore,
    ...(appendToStreams === undefined ? {} : { appendToStreams: (appends) => observed('append', appends.map((part) => part.streamName), report, () => appendToStreams.call(store, appends)) }),
    ...(checkWritable === undefined ? {} : { checkWritable: () => checkWritable.call(store) }),
  };
}
