export * from './model.js';
export * from './options.js';
export * from './errors.js';
export * from './orchestrator-api.js';
