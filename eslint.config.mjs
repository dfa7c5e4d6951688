// Lint guards the failure this project exists to avoid: a blocked event loop.
// Synchronous child_process and fs calls are forbidden in code that runs on a shared event loop
// (activities, workers, the API and the runtime parts of the CLI).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const SYNC_CALLS = [
  'execSync', 'execFileSync', 'spawnSync',
  'readFileSync', 'writeFileSync', 'appendFileSync', 'existsSync', 'statSync', 'lstatSync',
  'readdirSync', 'mkdirSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'renameSync', 'copyFileSync',
  'openSync', 'closeSync', 'readSync', 'writeSync', 'accessSync', 'chmodSync', 'chownSync',
  'mkdtempSync', 'realpathSync', 'readlinkSync', 'symlinkSync', 'truncateSync', 'fstatSync',
];
const message = 'Synchronous I/O blocks the event loop (heartbeats, health checks, every other request): use the async form.';

const noSyncIo = {
  'no-restricted-properties': ['error', ...SYNC_CALLS.map((property) => ({ property, message }))],
  'no-restricted-syntax': ['error', ...SYNC_CALLS.map((name) => ({
    selector: `ImportSpecifier[imported.name='${name}']`, message,
  })), ...SYNC_CALLS.map((name) => ({
    selector: `CallExpression[callee.name='${name}']`, message,
  }))],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.state/**', '.tools/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['activities/**', 'workers/**', 'api/**', 'cli/**', 'config/**'],
    rules: noSyncIo,
  },
  {
    // Workflows are deterministic: no Node built-ins, no clocks or randomness outside Temporal's APIs.
    files: ['workflows/**', 'lab/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'fs/*', 'child_process', 'os', 'path', 'net', 'crypto', 'dockerode', 'execa'], message: 'workflows and the lab model must stay free of I/O (they run inside the deterministic workflow sandbox)' },
        ],
      }],
    },
  },
);
