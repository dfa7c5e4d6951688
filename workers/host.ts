// Host worker: one per host. Polls `host:<hostId>` and runs the activities that touch this host's
// Docker, Open vSwitch and iproute2. Drains on SIGINT/SIGTERM (running activities get
// shutdownGraceTime to finish before they are cancelled).
import { NativeConnection, Worker } from '@temporalio/worker';
import { createHostActivities } from '../activities';
import { loadConfig } from '../config';
import { hostTaskQueue } from '../lab/queues';
import { autoHeartbeat } from './heartbeat';
import { serveMetrics, startProcessMetrics } from './metrics';

export async function runHostWorker(): Promise<void> {
  const config = loadConfig();
  startProcessMetrics('host-worker');
  if (process.env.ARCHETYPE_HOST_METRICS_PORT) serveMetrics(Number(process.env.ARCHETYPE_HOST_METRICS_PORT));
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: hostTaskQueue(config.hostId),
    activities: createHostActivities({ hostId: config.hostId, datapath: config.ovsDatapath }),
    // Docker and OVS do not like being flooded: cap what one host does at once.
    maxConcurrentActivityTaskExecutions: Number(process.env.ARCHETYPE_HOST_CONCURRENCY ?? 16),
    shutdownGraceTime: '30 seconds',
    interceptors: { activity: [autoHeartbeat()] },
  });
  console.log(`host worker for "${config.hostId}" polling ${hostTaskQueue(config.hostId)} on ${config.temporalAddress} (OVS datapath ${config.ovsDatapath})`);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  runHostWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
