// Replays recorded histories of real lab, deploy and destroy runs against the current workflow
// code: a change that breaks determinism for runs already in flight fails here.
// Re-record with: ARCHETYPE_RECORD_HISTORIES=1 npx jest test/workflow/lab.test.ts
import path from 'node:path';
import fs from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../helpers/temporal';

const dir = path.join(__dirname, '..', 'histories');

test('recorded histories replay against the current workflow code', async () => {
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, string>;
  const files = Object.keys(manifest).sort();
  expect(files).toEqual(expect.arrayContaining(['deploy.json', 'destroy.json', 'lab.json']));
  const bundle = await workflowBundle();
  for (const file of files) {
    const history = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, manifest[file]);
  }
});
