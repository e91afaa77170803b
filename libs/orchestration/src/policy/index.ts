export * from './orchestration-policy.js';
export * from './allow-all.policy.js';
export * from './limits.policy.js';
