export { ProjectionRunner, type ProjectionOptions } from './projection-runner.js';
export { projectBatch } from './project-batch.js';
export type { ProjectedEvent } from './batch-rows.js';
export * from './views.js';
