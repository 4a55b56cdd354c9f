// Layering: renderer -> shared <- main. src-shared imports neither side and no Node or DOM-only module;
// the renderer never reaches main or Node. The model is VS Code's code-layering rule.
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads', 'zlib', 'stream', 'url', 'util', 'events'];
const nodeModulePatterns = [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`), 'node:*', 'electron', 'sql.js', 'ws', '@tensorflow/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'bin/**', 'test-results/**', 'bench-results/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-main/**', '**/src-renderer/**', '../../src-main/*', '../../src-renderer/*'], message: 'Bad layering: src-shared imports neither main nor renderer.' },
          { group: nodeModulePatterns, message: 'Bad layering: src-shared is pure TypeScript, no Node or Electron modules.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-main/**', '../../src-main/*'], message: 'Bad layering: the renderer talks to main only through window.api.' },
          { group: nodeModulePatterns, message: 'Bad layering: the renderer has no Node access; go through window.api.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/src-renderer/**', '../../src-renderer/*'], message: 'Bad layering: main never imports renderer code.' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{mjs,cjs,ts}', '*.config.mts', '*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
