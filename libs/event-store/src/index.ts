export * from './port/types.js';
export * from './port/errors.js';
export * from './port/position.js';
export * from './port/resuming-subscription.js';
export * from './esdb/index.js';
export * from './sqlite/index.js';
