// Lint rules, run by `npm test` (tools/lint.spec.ts) and `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.stack/**', '.nx/**', 'reports/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Module boundaries from the Nx project tags: services never import each other, everyone may
      // import libs/shared, only apps import libs/platform, and the domain lib imports nothing of ours.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:service', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:workflows', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
          ],
        },
      ],
    },
  },
  {
    // The domain library is plain TypeScript: no frameworks, no I/O.
    files: ['libs/shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            {
              group: ['@nestjs/*', '@temporalio/*', 'typeorm', 'pg', 'kafkajs'],
              message: 'libs/shared is framework-free domain code.',
            },
          ],
        },
      ],
    },
  },
  {
    // One layering (controller → service → repository): a controller validates and delegates; the
    // SQL is the repositories', Temporal and the look-ups the services'.
    files: ['services/*/src/**/*.controller.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['*.repository', 'typeorm', 'pg', 'kafkajs', '@temporalio/*'],
              allowTypeImports: true,
              message: 'A controller delegates to a service; repositories, Temporal and Kafka sit behind it.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/Repository$|^DataSource$|^TEMPORAL_CLIENT$/]',
          message: 'A controller delegates to a service; repositories and Temporal sit behind it.',
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node, no I/O, no service code.
    files: ['workflows/src/**/*.ts'],
    ignores: [
      'workflows/src/**/*.activities.ts',
      'workflows/src/worker/**',
      'workflows/src/scripts/**',
      '**/*.spec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            {
              group: [
                '@hotline/platform',
                '@hotline/intake',
                '@hotline/dispatch',
                '@hotline/evaluation',
                '@hotline/supervision',
              ],
              message: 'Workflow code imports no service or infrastructure code; call an activity.',
            },
            {
              group: [
                '@nestjs/*',
                'typeorm',
                'pg',
                'kafkajs',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
              ],
              message: 'Not in workflow code: call an activity.',
            },
            {
              group: ['../activities/*', '../worker/*'],
              allowTypeImports: true,
              message: 'Workflow code may only import activity types.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
