// Control worker: runs the workflows (lab, deploy, destroy, smoke). Workflows are deterministic
// orchestration only; every side effect is an activity on a host worker.
import path from 'node:path';
import fs from 'node:fs/promises';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfig } from '../config';
import { CONTROL_TASK_QUEUE } from '../lab/queues';
import { serveMetrics, startProcessMetrics } from './metrics';

/** A prebuilt bundle (scripts/build-workflow-bundle) when present, else the workflow sources. */
async function workflowSource(): Promise<Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>> {
  const bundlePath = path.join(__dirname, '..', 'workflow-bundle.js');
  try {
    await fs.access(bundlePath);
    return { workflowBundle: { codePath: bundlePath } };
  } catch {
    return { workflowsPath: require.resolve('../workflows') };
  }
}

export async function runControlWorker(): Promise<void> {
  const config = loadConfig();
  startProcessMetrics('control-worker');
  if (process.env.ARCHETYPE_CONTROL_METRICS_PORT) serveMetrics(Number(process.env.ARCHETYPE_CONTROL_METRICS_PORT));
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: CONTROL_TASK_QUEUE,
    ...(await workflowSource()),
    maxCachedWorkflows: 500,
    shutdownGraceTime: '10 seconds',
  });
  console.log(`control worker polling ${CONTROL_TASK_QUEUE} on ${config.temporalAddress}`);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  runControlWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
