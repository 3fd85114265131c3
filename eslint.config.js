import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// fp-ts has no exports map: a subpath such as `fp-ts/Either` is a directory that Node's ESM loader refuses,
// so the ESM build would not load. `fp-ts/lib/Either.js` works from ESM and CommonJS alike.
const fpTsSubpath = {
  regex: '^fp-ts/(?!lib/[A-Za-z]+\\.js$)',
  message: "Import fp-ts modules as 'fp-ts/lib/<Module>.js': Node's ESM loader refuses 'fp-ts/<Module>'.",
};

// Core must stay pure: data in, data out. These rules make that a failing check, not a hope.
const impureModules = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'process', 'http', 'https', 'net', 'crypto',
  'execa', 'url', 'util', 'stream', 'events', 'worker_threads', 'readline', 'tty',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', module: 'readonly', require: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-restricted-imports': ['error', { patterns: [fpTsSubpath] }],
      'no-new-func': 'error',
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          fpTsSubpath,
          { group: ['node:*'], message: 'packages/core is pure: no Node built-ins.' },
          ...impureModules.map((name) => ({ group: [name, `${name}/*`], message: 'packages/core is pure: no I/O modules.' })),
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'packages/core is pure: pass environment in as data.' },
        { name: 'console', message: 'packages/core is pure: return findings instead of logging.' },
        { name: 'fetch', message: 'packages/core is pure: no network.' },
        { name: 'require', message: 'packages/core is pure.' },
        { name: 'setTimeout', message: 'packages/core is pure: no timers.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date']", message: 'packages/core is pure: time comes in as an argument.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'packages/core is pure: time comes in as an argument.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'packages/core is pure: randomness comes in as an argument.' },
        { selector: "BinaryExpression[operator='instanceof']", message: 'packages/core matches on _tag, not instanceof.' },
      ],
    },
  },
);
