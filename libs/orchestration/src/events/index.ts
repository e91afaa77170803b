export * from './json.codec.js';
export * from './run-events.js';
export * from './session-events.js';
export * from './event-registry.js';
export * from './event-metadata.js';
export * from './hash-chain.js';
