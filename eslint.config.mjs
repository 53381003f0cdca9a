// Lint: typescript-eslint's recommended rules, plus the architecture's import direction (docs/architecture.md):
// extension -> core, io; cli -> core, io; io -> core; core -> nothing (and no I/O modules in core).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeIo = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
];
const banned = (groups, message) => groups.map(group => ({ group: [group], message }));
const noProcesses = ['child_process', 'node:child_process'].map(name => ({
  name,
  message: 'Processes start only in src/io/process (runProcess: argument arrays, timeouts, EPIPE-safe stdin).',
}));
const rawRunner = banned(
  ['**/io/process/**', '**/io/git/git'],
  'Ask git through a named function of src/io/git (one parser per output), not the raw runner.',
);
const noVscode = {
  name: 'vscode',
  message: 'Only src/extension may import vscode: keep logic editor-free (docs/architecture.md).',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'action/index.cjs',
      'out/**',
      'node_modules/**',
      '.test-artifacts/**',
      '.demo/**',
      '.bench/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noVscode,
            ...nodeIo.map(name => ({ name, message: 'src/core is pure: I/O comes in through small interfaces.' })),
          ],
          patterns: banned(
            ['**/io/**', '**/cli/**', '**/extension/**'],
            'src/core imports nothing of the project outside src/core.',
          ),
        },
      ],
    },
  },
  {
    files: ['src/io/**/*.ts'],
    ignores: ['src/io/process/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode, ...noProcesses],
          patterns: banned(['**/cli/**', '**/extension/**'], 'src/io may import only src/core.'),
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode, ...noProcesses],
          patterns: [...banned(['**/extension/**'], 'src/cli may import only src/core and src/io.'), ...rawRunner],
        },
      ],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noProcesses,
          patterns: [
            ...banned(['**/cli/**'], 'src/extension may import src/core and src/io, not the CLI.'),
            ...rawRunner,
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
