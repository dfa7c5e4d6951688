// removeLabResources: everything of a lab on this host, for destroy. Tolerant of anything already
// gone; touches only objects carrying the lab's mark (Docker labels, OVS external_ids, veth alias).
import { docker, dockerMessage, dockerStatus, LABEL_LAB } from './docker/client';
import { forceRemove } from './docker/containers';
import { removeLabNetworking } from './links/wire';
import { heartbeat, safeName, sleep } from './util';

export interface RemoveLabResourcesInput {
  lab: string;
  hostId?: string;
}

export interface RemoveLabResourcesResult {
  containers: number;
  networks: number;
  ports: number;
  bridges: number;
  veths: number;
}

async function removeNetwork(id: string): Promise<boolean> {
  for (let i = 0; ; i++) {
    try {
      await docker().getNetwork(id).remove();
      return true;
    } catch (err) {
      const status = dockerStatus(err);
      if (status === 404) return false;
      // "has active endpoints": a container removal is still settling. Anything else is retried by Temporal.
      if (i < 25 && /active endpoints/i.test(dockerMessage(err))) {
        await sleep(200);
        continue;
      }
      throw new Error(`removing network ${id.slice(0, 12)}: ${dockerMessage(err)}`);
    }
  }
}

export async function removeLabResourcesOn(lab: string): Promise<RemoveLabResourcesResult> {
  const filters = { label: [`${LABEL_LAB}=${lab}`, 'archetype.managed=true'] };
  const containers = await docker().listContainers({ all: true, filters });
  let removedContainers = 0;
  // Bounded parallelism: dockerd serialises much of this anyway.
  for (let i = 0; i < containers.length; i += 8) {
    heartbeat({ removing: 'containers', done: i, of: containers.length });
    const done = await Promise.all(containers.slice(i, i + 8).map((c) => forceRemove(c.Id)));
    removedContainers += done.filter(Boolean).length;
  }
  const networks = await docker().listNetworks({ filters });
  let removedNetworks = 0;
  for (const n of networks) if (await removeNetwork(n.Id)) removedNetworks++;
  heartbeat({ removing: 'networking' });
  const net = await removeLabNetworking(lab);
  return { containers: removedContainers, networks: removedNetworks, ...net };
}

export function createRemoveLabResources() {
  return async function removeLabResources(input: RemoveLabResourcesInput): Promise<RemoveLabResourcesResult> {
    return removeLabResourcesOn(safeName('lab', input?.lab));
  };
}
