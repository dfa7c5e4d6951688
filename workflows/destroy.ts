// Destroy: remove everything labelled with the lab on every host that may hold some of it.
// Tolerant of anything already gone; safe to run again.
import { getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import { progressSignal, type DestroyInput, type ProgressEvent } from './defs';
import { mapLimit, onHost } from './host-activities';

export async function destroyWorkflow(input: DestroyInput): Promise<{ removed: Record<string, unknown> }> {
  const parent = getExternalWorkflowHandle(input.parentId);
  const operation = workflowInfo().workflowId;
  const report = (...events: ProgressEvent[]) => parent.signal(progressSignal, { operation, events });
  const removed: Record<string, unknown> = {};
  await report({ type: 'step', step: 'remove', state: 'running', detail: input.hosts.join(', ') });
  await mapLimit(input.hosts, 4, async (host) => {
    removed[host] = await onHost(host).removeLabResources({ lab: input.lab, hostId: host });
  });
  await report({ type: 'step', step: 'remove', state: 'done' });
  return { removed };
}
