// `npm run lint`: eslint with typescript-eslint, type-aware (it reads tsconfig.json), on every TypeScript
// and JavaScript file of the project. The rules are the ones that catch bugs: promises nobody awaits or
// that are passed where a callback's result is ignored, awaiting non-promises, unused code, switch
// statements that miss a case, throwing non-errors, stringifying objects into "[object Object]", plus
// eslint's and typescript-eslint's recommended sets. Formatting is prettier's (`npm run fmt`), not eslint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', '.test-work/', 'sample/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promises: a rejected promise nobody handles is an unhandled rejection (a crash in Node 20).
      // node:test's describe/test/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // Values that do not mean what the code thinks.
      '@typescript-eslint/no-base-to-string': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-duplicate-type-constituents': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // eslint 10's recommended rule that a rethrown error carry the caught one as its cause: better
      // messages, not a bug; off until models/ (runtime/loadPackage.ts) adopts it.
      'preserve-caught-error': 'off',
      // Unused code; a leading underscore marks what is unused on purpose (destructuring a field away).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The build script and helper scripts: plain Node ES modules, not type-checked.
    files: ['**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly' },
    },
  },
);
