import tseslint from 'typescript-eslint';
import { layerRules } from './scripts/layers.mjs';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist.tmp/',
      'dist.old/',
      'node_modules/',
      'coverage/',
      'bench-results/',
      '.sandbox/',
    ],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  ...layerRules(),
);
