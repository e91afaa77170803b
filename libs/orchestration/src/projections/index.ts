export { ProjectionRunner } from './projection-runner.js';
export { ReadModels, type OwnedOpenSession, type PendingLink, type ReadModelsSnapshot } from './read-models.js';
export type { RunEntry } from './run-record.js';
