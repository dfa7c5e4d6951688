import type { ChildProcess } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as Record<string, unknown>).__archetypeTemporal as ChildProcess | undefined;
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await new Promise((r) => setTimeout(r, 300));
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* exited */
  }
}
