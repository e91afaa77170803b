export { EsdbEventStore, openEsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store.js';
