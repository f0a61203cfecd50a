// ESLint (flat config): typescript-eslint with type-aware rules on src/, React hooks rules on the page rooms, and
// one import-boundary block per room whose message says why the rule exists. Import cycles: .dependency-cruiser.cjs.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** `room/` may not import these patterns; each entry says why (the message is what a contributor reads). */
const NO_REACT = (room) => ({
  group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'recharts'],
  message: `${room}/ must not import React, zustand or recharts: it runs in the worker (or in Node for tests), where there is no page.`,
});
const NO_PAGE_ROOMS = (room) => ({
  group: ['**/ui/**', '**/state/**', '**/bridge/**', '**/app/**'],
  message: `${room}/ must not import the page rooms (ui, state, bridge, app): imports flow ui -> state -> bridge -> worker -> train -> model / data.`,
});
const NO_WORKER = (room) => ({
  group: ['**/worker/**'],
  message: `${room}/ must not import worker/: the worker is the thin layer on top that calls the rooms, never the other way round.`,
});
const NO_STORAGE = (room) => ({
  group: ['**/storage', '**/storage/**'],
  message: `${room}/ must not import storage/: only the worker reads and writes IndexedDB, so the pure rooms stay testable without it.`,
});
const NO_TRAIN = (room) => ({
  group: ['**/train/**'],
  message: `${room}/ must not import train/: the training room is built on ${room}/, not the other way round.`,
});
const room = (name, patterns) => ({
  files: [`src/${name}/**/*.{ts,tsx}`],
  rules: { 'no-restricted-imports': ['error', { patterns: patterns.map((p) => p(name)) }] },
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'public/**',
      'e2e/hub/.data/**',
      'node_modules/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.cjs',
      'e2e/**',
      'scripts/**',
      'vite.config.ts',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { project: ['./src/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Non-null assertions mark invariants the code checked just before (documented where they are used).
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/ui/**/*.tsx', 'src/app/**/*.tsx', 'src/state/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  room('model', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER, NO_STORAGE, NO_TRAIN]),
  room('data', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER, NO_STORAGE, NO_TRAIN]),
  room('tokenize', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER, NO_STORAGE, NO_TRAIN]),
  room('train', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER, NO_STORAGE]),
  room('storage', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER, NO_TRAIN]),
  room('lib', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER, NO_STORAGE, NO_TRAIN]),
  room('hub', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER, NO_STORAGE, NO_TRAIN]),
  room('worker', [NO_REACT, NO_PAGE_ROOMS]),
  // A handler validates, calls a room, posts: shared worker code lives one level up, so handlers never import each other.
  room('worker/handlers', [
    NO_REACT,
    NO_PAGE_ROOMS,
    () => ({ group: ['./*'], message: 'A handler must not import another handler: put shared worker code in src/worker/ (one level up).' }),
  ]),
  // protocol/ describes the rooms' data to the page, so it may import their types (and only types: see below).
  room('protocol', [NO_REACT, NO_PAGE_ROOMS, NO_WORKER]),
  {
    files: ['src/bridge/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'zustand'],
              message: 'bridge/ must not import React or zustand: it only carries typed messages to the worker; state/ owns the store.',
            },
            { group: ['**/ui/**', '**/state/**'], message: 'bridge/ must not import ui/ or state/: imports flow ui -> state -> bridge.' },
            {
              group: ['**/model/**', '**/train/**', '**/data/**', '**/storage/**', '**/tokenize/**'],
              message: 'bridge/ must not import the worker rooms: the page talks to them only through the protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/state/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/worker/**'], message: 'The page must not import worker/: it talks to the worker through bridge/ and the protocol.' },
            {
              // train/diagnostics.ts is pure (documented thresholds the charts draw), so the page may read it.
              group: ['**/model/**', '**/train/**', '!**/train/diagnostics', '**/storage/**', '**/tokenize/**', '@tensorflow/*'],
              message: 'The page must not import the worker rooms (model, train, storage, tokenize, tfjs): heavy work runs in the worker.',
            },
          ],
        },
      ],
    },
  },
);
