// Helpers for the host-activity integration tests: plans for a few busybox nodes, commands inside
// containers, and what the host really holds for a lab (Docker labels, OVS external_ids, veth
// aliases). Argument arrays only.
import { execa } from 'execa';
import type { PlannedLinkEnd, PlannedMgmt, PlannedNode } from '../../lab/types';

export const BUSYBOX = 'archetype/busybox:latest';

export function plannedNode(lab: string, name: string, extra: Partial<PlannedNode['spec']> = {}, mgmtIpv4?: string): PlannedNode {
  return {
    name, kind: 'linux', host: 'local', containerName: `${lab}-${name}`, image: BUSYBOX, mgmtIpv4, wave: 0,
    spec: {
      name, kind: 'linux', image: BUSYBOX, binds: [], env: {}, envFiles: [], ports: [], exec: [], labels: {}, waitFor: [], ...extra,
    },
  };
}

export function linkEnd(node: string, ifName: string, hostIf: string, ipv4?: string, extra: Partial<PlannedLinkEnd> = {}): PlannedLinkEnd {
  return { node, host: 'local', interface: ifName, ifName, hostIf, ipv4, ...extra };
}

export function mgmtFor(lab: string, octet: number): PlannedMgmt {
  return { network: `arch-${lab}`, ipv4Subnet: `172.29.${octet}.0/24`, ipv4Gateway: `172.29.${octet}.1` };
}

// Commands inside containers and waiting are shared with the end-to-end tests.
export { dockerExec as dexec, canPing as ping, eventually } from './host-state';
import { dockerExec as dexec } from './host-state';

/**
 * Sends `bytes` over TCP from `client` to `address:port` served by busybox nc in `server`; returns
 * how many bytes the server received. Several full-size segments: exercises checksums and
 * segmentation, which ping alone does not.
 */
export async function tcpBytes(server: string, client: string, address: string, port: number, bytes = 100_000): Promise<number> {
  await dexec(server, ['rm', '-f', '/tmp/tcp-in']);
  // busybox nc stops reading the network when its own stdin ends: keep the server's stdin open.
  await execa('docker', ['exec', '-d', server, 'sh', '-c', `sleep 30 | nc -l -p ${port} > /tmp/tcp-in`]);
  await new Promise((r) => setTimeout(r, 300));
  await dexec(client, ['sh', '-c', `head -c ${bytes} /dev/zero | nc -w 3 ${address} ${port}`], 15_000);
  let got = 0;
  for (let i = 0; i < 20 && got < bytes; i++) {
    const r = await dexec(server, ['sh', '-c', 'wc -c < /tmp/tcp-in']);
    got = Number(r.output.trim()) || 0;
    if (got < bytes) await new Promise((r2) => setTimeout(r2, 200));
  }
  await dexec(server, ['sh', '-c', 'killall nc sleep 2>/dev/null; true']);
  return got;
}

async function lines(file: string, args: string[]): Promise<string[]> {
  const { stdout } = await execa(file, args);
  return stdout.split('\n').map((s) => s.replace(/"/g, '').trim()).filter(Boolean).sort();
}

export interface HostState {
  containers: string[];
  networks: string[];
  ovsBridges: string[];
  ovsPorts: string[];
  ovsInterfaces: string[];
  veths: string[];
}

/** Everything on this host that carries the lab's mark. */
export async function labState(lab: string): Promise<HostState> {
  const cond = `external_ids:archetype-lab=${lab}`;
  const ovs = (table: string) => lines('ovs-vsctl', ['--format=csv', '--no-headings', '--columns=name', 'find', table, cond]);
  const { stdout } = await execa('ip', ['-j', '-d', 'link', 'show', 'type', 'veth']);
  const veths = (JSON.parse(stdout || '[]') as { ifname: string; ifalias?: string }[])
    .filter((l) => l.ifalias?.startsWith(`archetype lab=${lab} `)).map((l) => l.ifname).sort();
  return {
    containers: await lines('docker', ['ps', '-a', '--filter', `label=archetype.lab=${lab}`, '--format', '{{.Names}}']),
    networks: await lines('docker', ['network', 'ls', '--filter', `label=archetype.lab=${lab}`, '--format', '{{.Name}}']),
    ovsBridges: await ovs('bridge'),
    ovsPorts: await ovs('port'),
    ovsInterfaces: await ovs('interface'),
    veths,
  };
}

/** Host interfaces by exact name that exist (for leftovers not carrying a mark). */
export async function hostLinksNamed(names: string[]): Promise<string[]> {
  const { stdout } = await execa('ip', ['-j', 'link', 'show']);
  const have = new Set((JSON.parse(stdout || '[]') as { ifname: string }[]).map((l) => l.ifname));
  return names.filter((n) => have.has(n));
}
