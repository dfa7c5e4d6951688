// Activities run on the host that owns the node or link end: one task queue per host.
import { proxyActivities } from '@temporalio/workflow';
import type { HostActivities } from '../activities';
import { hostTaskQueue } from '../lab/queues';

/** Permanent failures: retrying cannot help, the user must change something. */
export const NON_RETRYABLE = ['ImageNotFound', 'InvalidInput', 'NameConflict', 'PlanError', 'ExecFailed', 'NodeMissing', 'NodeExited'];

const proxies = new Map<string, HostActivities>();

export function onHost(host: string): HostActivities {
  let acts = proxies.get(host);
  if (!acts) {
    acts = proxyActivities<HostActivities>({
      taskQueue: hostTaskQueue(host),
      // How long a task may wait for a dead host's worker before the operation hears about it.
      scheduleToStartTimeout: '5 minutes',
      startToCloseTimeout: '10 minutes',
      // Host workers heartbeat every activity while it runs (workers/heartbeat.ts), so a killed
      // worker's activity is retried within this, not after startToCloseTimeout.
      heartbeatTimeout: '20 seconds',
      retry: {
        initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 12,
        nonRetryableErrorTypes: NON_RETRYABLE,
      },
    });
    proxies.set(host, acts);
  }
  return acts;
}

/** Runs fn over items with at most `limit` in flight; deterministic (workflow-safe). Rejects on the first failure after in-flight work settles. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: unknown;
  async function lane(): Promise<void> {
    while (next < items.length && failure === undefined) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failure ??= err;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure;
  return results;
}
