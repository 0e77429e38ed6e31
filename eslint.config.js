import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-*/', 'node_modules/', 'results/', '.mqbench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The report page's script runs in the browser, after the page's inlined Chart.js.
    files: ['src/report/html/client/**/*.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'chart.js', allowTypeImports: true, message: 'the page inlines Chart.js: import types only and use window.Chart' }],
          patterns: [{ group: ['node:*', '../../*'], message: 'browser code: import only the client modules and ../chartSpec.js' }],
        },
      ],
    },
  },
);
