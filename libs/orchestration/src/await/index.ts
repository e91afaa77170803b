export { RunWatchers, type AwaitOutcome } from './run-watchers.js';
export { awaitResult, awaitTimedOut } from './await-result.js';
