// Builds the workflow bundle once at build time; the control worker loads it instead of bundling
// at every start (scripts: `npm run build`).
import path from 'node:path';
import fs from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  const out = path.join(__dirname, '..', 'workflow-bundle.js');
  await fs.writeFile(`${out}.part`, code);
  await fs.rename(`${out}.part`, out);
  console.log(`workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
