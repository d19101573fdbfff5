// ESLint flat config: the recommended JavaScript and typescript-eslint rules over the sources,
// tests, scripts and benchmarks. Formatting is Prettier's job (npm run format:check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'manifests/**', 'example/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Tests read loosely typed JSON and YAML (rendered objects, API payloads).
      '@typescript-eslint/no-explicit-any': 'off',
      // Modules are imported from the file that defines them: no barrels to keep in step or to bypass.
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^\\.{1,2}/(.*/)?index\\.js$', message: 'import the module that defines the name, not an index.js barrel' }],
        },
      ],
    },
  },
);
