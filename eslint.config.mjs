import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', '.tmp/'] },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly' } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Workflows are replayed: they may import only the workflow SDK, pure libs and activity types.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'pg', 'typeorm', 'exceljs', '@nestjs/*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'workflow code must stay deterministic: no I/O or framework imports' },
          ],
        },
      ],
    },
  },
  {
    // libs/domain is pure: no framework, database or I/O.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'pg', 'typeorm', '@nestjs/*', '@temporalio/*', 'exceljs'], message: 'libs/domain is pure' }] },
      ],
    },
  },
);
