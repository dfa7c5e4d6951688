#!/usr/bin/env node
// Entry point of the `archetype` CLI (compiled TypeScript lives in dist/; `npm install` builds it).
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
let main;
try {
  ({ main } = require(entry));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(entry)) {
    console.error('archetype is not built yet: run `npm run build` (or `npm install`) in ' + path.join(__dirname, '..'));
    process.exit(1);
  }
  throw err;
}
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
