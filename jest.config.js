// Jest runs TypeScript through SWC (fast, no type-check: `npm run typecheck` does that).
// ESM-only dependencies (execa 9 and its own dependencies) cannot be loaded by jest's CommonJS
// module registry, so every package that declares "type": "module" is transformed too. The list is
// read from node_modules rather than hard-coded, so a new ESM-only transitive dependency is handled.
const fs = require('fs');
const path = require('path');

function esmPackages(dir = path.join(__dirname, 'node_modules'), found = new Set()) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  const names = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const sub of fs.readdirSync(path.join(dir, entry.name))) names.push(`${entry.name}/${sub}`);
    } else names.push(entry.name);
  }
  for (const name of names) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8')).type === 'module') found.add(name);
    } catch {
      // not a package
    }
    // nested copies (another major version) are matched by name too
    esmPackages(path.join(dir, name, 'node_modules'), found);
  }
  return found;
}

const esm = [...esmPackages()].sort().map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': swc,
    '^.+\\.m?js$': swc,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  resolver: '<rootDir>/test/helpers/jest-resolver.js',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
