// The lint rule that keeps synchronous I/O out of code running on a shared event loop is itself
// guarded: if someone loosens eslint.config.mjs, this fails.
import path from 'node:path';
import { execa } from 'execa';

const root = path.resolve(__dirname, '..', '..');

// ESLint runs as its own process, exactly as `npm test` runs it (its ESM config cannot load
// inside jest's module registry).
async function ruleHits(file: string, code: string): Promise<string[]> {
  const r = await execa(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', file],
    { cwd: root, input: code, reject: false });
  const [result] = JSON.parse(r.stdout) as { messages: { message: string }[] }[];
  return result.messages.map((m) => m.message);
}

const syncCode = `
import fs from 'node:fs';
import { execSync } from 'node:child_process';
export function bad(): string {
  execSync('ip link');
  return fs.readFileSync('/etc/hostname', 'utf8');
}
`;

test.each(['activities/x.ts', 'workers/x.ts', 'api/x.ts', 'cli/x.ts'])('synchronous I/O is a lint error in %s', async (file) => {
  const hits = await ruleHits(file, syncCode);
  expect(hits.filter((m) => /Synchronous I\/O blocks the event loop/.test(m)).length).toBeGreaterThanOrEqual(2);
});

test('the async forms pass', async () => {
  const hits = await ruleHits('activities/x.ts', `
import fs from 'node:fs/promises';
export async function good(): Promise<string> { return fs.readFile('/etc/hostname', 'utf8'); }
`);
  expect(hits).toEqual([]);
});

test('workflows may not import Node built-ins or I/O libraries', async () => {
  const hits = await ruleHits('workflows/x.ts', `import fs from 'node:fs';\nexport const x = fs;\n`);
  expect(hits.join('\n')).toMatch(/deterministic workflow sandbox/);
});
