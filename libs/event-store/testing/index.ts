export { runEventStoreConformance, type EventStoreUnderTest } from './conformance.js';
