// Task queue names, shared by workers (which poll them) and workflows (which route activities).
export const CONTROL_TASK_QUEUE = 'archetype-control';

export function hostTaskQueue(hostId: string): string {
  return `host:${hostId}`;
}
