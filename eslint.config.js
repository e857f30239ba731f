import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  {
    ignores: [
      'build/',
      'build-*/',
      '.svelte-kit-*/',
      '.svelte-kit/',
      'node_modules/',
      'src/lib/paraglide/',
      'test-results/',
      'playwright-report/',
      'data/',
      'drizzle/',
      'tmp/',
      'bench/dist/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: {
          // Root config files and the benchmark page are outside tsconfig's include list.
          allowDefaultProject: [
            'playwright.config.ts',
            'playwright.api.config.ts',
            'vitest.config.ts',
            'drizzle.config.ts',
            'bench/*.ts',
            'bench/browser/*.ts',
          ],
        },
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'svelte/no-navigation-without-resolve': 'off',
    },
  },
  {
    // The domain is pure: no storage, framework or server code may leak in.
    files: ['src/lib/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['dexie', 'dexie/*'], message: 'domain code is pure: no Dexie' },
            { group: ['svelte', 'svelte/*', '$app/*'], message: 'domain code is pure: no Svelte' },
            {
              group: ['$lib/server/*', '$lib/db/*', '$lib/sync/*'],
              message: 'domain code is pure',
            },
            { group: ['../db/*', '../server/*', '../sync/*'], message: 'domain code is pure' },
          ],
        },
      ],
    },
  },
  {
    // Device code never imports server code.
    files: [
      'src/lib/db/**/*.ts',
      'src/lib/services/**/*.ts',
      'src/lib/state/**/*.ts',
      'src/lib/components/**/*.svelte',
      // The sync protocol and engine run on the device; the server imports them, not the reverse.
      'src/lib/sync/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['$lib/server/*', '../server/*'],
              message: 'device code may not import server code',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', 'scripts/**', 'bench/**'],
    ...ts.configs.disableTypeChecked,
  },
);
