// Jest runs in ESM mode: NestJS 12 is ESM-only (see README, "Development").
const swc = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@runtree/event-store$': '<rootDir>/libs/event-store/src/index.ts',
    '^@runtree/event-store/testing$': '<rootDir>/libs/event-store/testing/index.ts',
    '^@runtree/journal-audit$': '<rootDir>/libs/journal-audit/src/index.ts',
    '^@runtree/orchestration$': '<rootDir>/libs/orchestration/src/index.ts',
    '^@runtree/read-store$': '<rootDir>/libs/read-store/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs,test,bench}/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  // On 2 cores Jest runs every suite in one process: a suite that fails while closing (its failure is
  // reported) must not keep that process, and CI, from ending.
  forceExit: true,
};
