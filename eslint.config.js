// Lint (issue 17): typescript-eslint's recommended rules, and from its type-aware set the ones about
// promises: a promise nobody awaits loses its error and can let a command exit 0 before its write
// finished (no-floating-promises), an async function where a plain callback is expected runs unawaited
// (no-misused-promises). The no-unsafe-* family is left out: the values it flags are SQLite rows and
// parsed JSON, typed where they are read.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Tests match escape sequences on purpose.
  { files: ['test/**/*.ts'], rules: { 'no-control-regex': 'off' } },
);
