// ensureMgmtNetwork: the lab's Docker bridge network for management addresses.
import type { PlannedMgmt } from '../../lab/types';
import { docker, dockerMessage, dockerStatus, isOurs, labLabels } from './client';
import { permanent, safeName } from '../util';

export interface EnsureMgmtNetworkInput {
  lab: string;
  hostId: string;
  mgmt: PlannedMgmt;
}

export interface EnsureMgmtNetworkResult {
  id: string;
  created: boolean;
}

const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

interface NetInfo {
  Id: string;
  Labels?: Record<string, string> | null;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null };
}

async function inspectNetwork(name: string): Promise<NetInfo | undefined> {
  try {
    return (await docker().getNetwork(name).inspect()) as NetInfo;
  } catch (err) {
    if (dockerStatus(err) === 404) return undefined;
    throw err;
  }
}

export function createEnsureMgmtNetwork(defaultHostId: string) {
  return async function ensureMgmtNetwork(input: EnsureMgmtNetworkInput): Promise<EnsureMgmtNetworkResult> {
    const lab = safeName('lab', input?.lab);
    const hostId = safeName('hostId', input.hostId ?? defaultHostId);
    const name = safeName('mgmt.network', input.mgmt?.network);
    const subnet = input.mgmt.ipv4Subnet;
    const gateway = input.mgmt.ipv4Gateway;
    if (!CIDR.test(subnet ?? '')) throw permanent(`invalid management subnet ${JSON.stringify(subnet)}`, 'InvalidInput');
    if (gateway !== undefined && !/^[0-9.]+$/.test(gateway)) throw permanent(`invalid management gateway ${JSON.stringify(gateway)}`, 'InvalidInput');
    if (input.mgmt.ipv6Subnet !== undefined && !CIDR.test(input.mgmt.ipv6Subnet)) {
      throw permanent(`invalid management IPv6 subnet ${JSON.stringify(input.mgmt.ipv6Subnet)}`, 'InvalidInput');
    }

    const check = (net: NetInfo): EnsureMgmtNetworkResult => {
      if (!isOurs(net.Labels, lab)) {
        throw permanent(`a Docker network named "${name}" already exists on host ${hostId} and does not belong to lab ${lab}; `
          + `remove it or set mgmt.network to another name`, 'NameConflict');
      }
      const subnets = (net.IPAM?.Config ?? []).map((c) => c.Subnet);
      if (!subnets.includes(subnet)) {
        throw permanent(`management network "${name}" on host ${hostId} has subnet ${subnets.join(', ') || '(none)'} but the lab wants ${subnet}; `
          + `destroy the lab to recreate it`, 'NameConflict');
      }
      return { id: net.Id, created: false };
    };

    const existing = await inspectNetwork(name);
    if (existing) return check(existing);

    const config: { Subnet: string; Gateway?: string }[] = [{ Subnet: subnet, ...(gateway ? { Gateway: gateway } : {}) }];
    if (input.mgmt.ipv6Subnet) config.push({ Subnet: input.mgmt.ipv6Subnet });
    try {
      const net = await docker().createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        EnableIPv6: Boolean(input.mgmt.ipv6Subnet),
        IPAM: { Driver: 'default', Config: config },
        Labels: labLabels(lab, hostId),
        Options: { 'com.docker.network.driver.mtu': '1500' },
      });
      return { id: net.id, created: true };
    } catch (err) {
      const msg = dockerMessage(err);
      if (/already exists/i.test(msg) || dockerStatus(err) === 409) {
        const raced = await inspectNetwork(name); // created concurrently (a retried attempt)
        if (raced) return check(raced);
      }
      if (/overlap/i.test(msg)) {
        throw permanent(`management subnet ${subnet} of lab ${lab} overlaps a network that already exists on host ${hostId} (${msg}); `
          + `choose another subnet with mgmt.ipv4-subnet in the topology`, 'InvalidInput');
      }
      if (dockerStatus(err) === 400) throw permanent(`cannot create management network "${name}" on host ${hostId}: ${msg}`, 'InvalidInput');
      throw new Error(`creating management network "${name}" on host ${hostId}: ${msg}`);
    }
  };
}
