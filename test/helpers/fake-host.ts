// An in-memory host for workflow-branch tests only (real hosts are exercised by the integration
// and end-to-end tests). It models just enough: images, containers, wired link ends.
import { ApplicationFailure } from '@temporalio/common';
import type { HostActivities } from '../../activities';

export interface FakeHostOptions {
  missingImages?: string[];
  /** Resolved when the test lets removeLabResources finish (to hold a destroy open). */
  holdDestroy?: Promise<void>;
}

export function fakeHost(hostId: string, opts: FakeHostOptions = {}) {
  const containers = new Map<string, { id: string; running: boolean; pid: number }>();
  const wired = new Set<string>();
  let pid = 1000;
  const calls: string[] = [];
  const acts = {
    async ensureImage({ image }: { image: string }) {
      calls.push(`ensureImage ${image}`);
      if (opts.missingImages?.includes(image)) {
        throw ApplicationFailure.nonRetryable(`image "${image}" is not present on host ${hostId} and could not be pulled: not found`, 'ImageNotFound');
      }
      return { id: `sha256:${image}`, pulled: false };
    },
    async ensureMgmtNetwork() { return { id: 'net', created: true }; },
    async ensureBridge() { return { bridge: 'br', created: true }; },
    async createNode({ node }: { node: { containerName: string } }) {
      const existing = containers.get(node.containerName);
      if (existing) return { containerId: existing.id, created: false };
      const c = { id: `c-${node.containerName}`, running: false, pid: 0 };
      containers.set(node.containerName, c);
      return { containerId: c.id, created: true };
    },
    async startNode({ node }: { node: string }) {
      const c = containers.get(node)!;
      if (!c.running) { c.running = true; c.pid = ++pid; }
      return { pid: c.pid };
    },
    async wireLinkEnd({ end }: { end: { hostIf: string } }) { wired.add(end.hostIf); return { created: true }; },
    async linkEndStatus({ end }: { end: { hostIf: string } }) {
      const up = wired.has(end.hostIf);
      return { hostUp: up, innerUp: up, inOvs: up, ofport: up ? 1 : -1 };
    },
    async execNode({ commands }: { commands: string[] }) { return commands.map((command) => ({ command, exitCode: 0, output: '' })); },
    async removeLabResources() {
      await opts.holdDestroy;
      const removed = { containers: containers.size, networks: 1, ports: wired.size, bridges: 1 };
      containers.clear();
      wired.clear();
      return removed;
    },
  };
  return { acts: acts as unknown as HostActivities, containers, wired, calls };
}
