import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The library boundary (docs/design-rules.md): which folders may import what. Tests (specs, test/,
// bench/) may reach internals and are not restricted. Flat config does not merge one rule's options
// across blocks, so each folder's block below states its whole list.
const TESTS = ['**/*.spec.ts', '**/*.spec.tsx', 'test/**', 'bench/**'];

const NOT_APPS_OR_TESTS = {
  regex: String.raw`^(\.\.?/)+(.*/)?(apps|test|bench)/`,
  message: 'A library must not import from apps/, test/ or bench/: apps use the libraries, never the reverse.',
};
/** Imports of the @runtree libraries but the library itself and `allowed`. */
const OTHER_RUNTREE_LIBS = (self, allowed = []) => ({
  regex: `^@runtree/(?!(${[self, ...allowed].join('|')})$)`,
  message: `@runtree/${self} may import ${allowed.length > 0 ? `only @runtree/${allowed.join(', @runtree/')} of` : 'none of'} the other @runtree libraries.`,
});

const importBoundaries = [
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@runtree/event-store', message: 'Apps use the facade (@runtree/orchestration, which re-exports the store types they name), never the event store.' },
            { name: '@runtree/read-store', message: 'Apps use the facade (@runtree/orchestration, which re-exports the store types they name), never the read store.' },
            {
              name: '@runtree/orchestration',
              importNames: ['EVENT_STORE', 'READ_STORE', 'ProjectionRunner', 'RunWatchers'],
              message: 'Internals of the orchestration module (exported for tests): apps use the facade (Orchestrator, RunJournals, PublicationFeed, OrchestratorHealth).',
            },
          ],
          patterns: [
            { regex: String.raw`^(\.\.?/)+(.*/)?libs/`, message: 'Apps import libraries by package name (@runtree/...), never by a path into libs/.' },
            { regex: '^@runtree/[^/]+/', message: "Apps import a library's package entry, not a file inside it." },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/event-store/**/*.ts'],
    ignores: TESTS,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NOT_APPS_OR_TESTS, OTHER_RUNTREE_LIBS('event-store')] }] },
  },
  {
    files: ['libs/read-store/**/*.ts'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@runtree/event-store',
              allowTypeImports: true,
              // Position arithmetic is part of the Position type; the store itself stays out of reach.
              allowImportNames: ['comparePositions'],
              message: 'The read store takes only types (and comparePositions) from @runtree/event-store.',
            },
          ],
          patterns: [NOT_APPS_OR_TESTS, OTHER_RUNTREE_LIBS('read-store', ['event-store'])],
        },
      ],
    },
  },
  {
    files: ['libs/orchestration/**/*.ts', 'libs/journal-audit/**/*.ts'],
    ignores: TESTS,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NOT_APPS_OR_TESTS] }] },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', '**/dist/**', 'dist-packages/**', 'dist-bench/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...importBoundaries,
);
