// The smallest real chain: a workflow that runs one activity on a host's own task queue, which
// creates a labelled container and an OVS bridge and removes both.
import { proxyActivities } from '@temporalio/workflow';
import type { HostActivities } from '../activities';
import { hostTaskQueue } from '../lab/queues';
import type { SmokeInput } from './defs';

export async function smokeWorkflow(input: SmokeInput): Promise<{ container: string; bridge: string }> {
  const { smokeActivity } = proxyActivities<HostActivities>({
    taskQueue: hostTaskQueue(input.hostId),
    scheduleToStartTimeout: '5 minutes',
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '5 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '5 seconds' },
  });
  return smokeActivity({ token: input.token, holdMs: input.holdMs ?? 0 });
}
