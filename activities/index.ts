// The host worker's activities: everything that touches this host's Docker, Open vSwitch and
// kernel links. Each activity takes ONE plain-JSON object (a Temporal payload) and is idempotent.
import { createCreateNode, createExecNode, createListLabContainers, createRemoveNode, createStartNode } from './docker/containers';
import { createEnsureImage } from './docker/images';
import { createEnsureMgmtNetwork } from './docker/network';
import { createEnsureBridge, createLinkEndStatus, createRemoveLabNetworking, createWireLinkEnd, type Datapath } from './links/wire';
import { createRemoveLabResources } from './cleanup';
import { createSmokeActivity } from './smoke';

export interface HostActivityOptions {
  hostId: string;
  datapath: Datapath;
}

export function createHostActivities(opts: HostActivityOptions) {
  const { hostId, datapath } = opts;
  return {
    ensureImage: createEnsureImage(hostId),
    ensureMgmtNetwork: createEnsureMgmtNetwork(hostId),
    createNode: createCreateNode(hostId),
    startNode: createStartNode(hostId),
    execNode: createExecNode(hostId),
    removeNode: createRemoveNode(hostId),
    listLabContainers: createListLabContainers(),
    ensureBridge: createEnsureBridge({ hostId, datapath }),
    wireLinkEnd: createWireLinkEnd({ hostId, datapath }),
    linkEndStatus: createLinkEndStatus(),
    removeLabNetworking: createRemoveLabNetworking(),
    removeLabResources: createRemoveLabResources(),
    smokeActivity: createSmokeActivity({ hostId, datapath }),
  };
}

export type HostActivities = ReturnType<typeof createHostActivities>;

export type { Datapath } from './links/wire';
