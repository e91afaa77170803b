import { afterAll, beforeAll, describe } from '@jest/globals';
import type { EventStore } from '../src/port/types.js';
import { describeAppendCases } from './append.cases.js';
import { describeConcurrencyCases, describePayloadCases } from './concurrency-payloads.cases.js';
import { describeIdempotencyCases } from './idempotency.cases.js';
import { describeMultiStreamAppendCases, type MultiStreamClaim } from './multi-stream-append.cases.js';
import { describeMetadataCases, describeSoftDeleteCases } from './metadata-delete.cases.js';
import { describeReadAllCases } from './read-all.cases.js';
import { describeReadStreamCases } from './read-stream.cases.js';
import { describeSubscribeToAllCases } from './subscribe-to-all.cases.js';
import { describeStreamSubscriptionCases } from './stream-subscriptions.cases.js';
import type { ConformanceTarget } from './support.js';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/**
 * The semantics of libs/event-store/README.md as tests. Call it at the top level of a spec.
 * Every case writes to streams under its own random prefix and reads the global log through
 * a filter on it, so it also runs against a shared server that holds other data.
 */
export interface ConformanceOptions {
  /** Whether the adapter offers `appendToStreams`; its cases run when it does. Default `not_claimed`. */
  readonly multiStreamAppend?: MultiStreamClaim;
}

export function runEventStoreConformance(targetName: string, open: () => Promise<EventStoreUnderTest>, options: ConformanceOptions = {}): void {
  describe(`EventStore conformance: ${targetName}`, () => {
    let underTest: EventStoreUnderTest | undefined;
    const target: ConformanceTarget = {
      get store(): EventStore {
        if (underTest === undefined) throw new Error(`The store for ${targetName} is not open`);
        return underTest.store;
      },
    };

    beforeAll(async () => {
      underTest = await open();
    });

    afterAll(async () => {
      await underTest?.dispose();
    });

    describeAppendCases(target);
    describeIdempotencyCases(target);
    describeMultiStreamAppendCases(target, options.multiStreamAppend ?? 'not_claimed');
    describeReadStreamCases(target);
    describeReadAllCases(target);
    describeStreamSubscriptionCases(target);
    describeSubscribeToAllCases(target);
    describeMetadataCases(target);
    describeSoftDeleteCases(target);
    describeConcurrencyCases(target);
    describePayloadCases(target);
  });
}
