// Lab bridges and link ends: veth pairs from the host into a container's network namespace, the
// host end an access port (tag = the link's VLAN) on the lab's OVS bridge. iproute2 in batch
// mode, ethtool and ovs-vsctl through argument arrays; nsenter for the container's namespace.
import type { PlannedLinkEnd } from '../../lab/types';
import { docker } from '../docker/client';
import { errorMessage, heartbeat, log, mustRun, permanent, run, safeIfName, safeInt, safeName, sleep } from '../util';
import { externalIds, find, interfaceState, ovsMark, vsctl } from './ovs';

export type Datapath = 'netdev' | 'system';

export interface EnsureBridgeInput {
  lab: string;
  bridge: string;
  hostId?: string;
  /** Defaults to the host worker's configured datapath. */
  datapath?: Datapath;
}

export interface WireLinkEndInput {
  lab: string;
  hostId?: string;
  datapath?: Datapath;
  bridge: string;
  vlan: number;
  linkId: string;
  end: PlannedLinkEnd;
  mtu: number;
  /** PID of the container's init (from startNode); the live PID is used if the container restarted since. */
  pid?: number;
}

export interface WireLinkEndResult {
  created: boolean;
  /** What was found broken and re-plumbed, if anything. */
  repaired?: string[];
  ofport: number;
}

export interface LinkEndStatusInput {
  end: PlannedLinkEnd;
  pid: number;
  bridge: string;
}

export interface LinkEndStatus {
  hostUp: boolean;
  innerUp: boolean;
  inOvs: boolean;
  ofport: number;
}

/** The mark put on host veth ends (their ifalias), so leftovers can be recognised without OVS. */
export function vethAlias(lab: string, linkId: string): string {
  return `archetype lab=${lab} link=${linkId}`;
}

interface LinkInfo {
  ifindex: number;
  ifname: string;
  link_index?: number;
  link_netnsid?: number;
  flags?: string[];
  operstate?: string;
  ifalias?: string;
  address?: string;
  mtu?: number;
  linkinfo?: { info_kind?: string };
}

/** `ip -j -d link show dev NAME` on the host (pid undefined) or in the netns of pid; undefined when absent. */
async function linkShow(name: string, pid?: number): Promise<LinkInfo | undefined> {
  const args = ['-j', '-d', 'link', 'show', 'dev', name];
  const r = pid === undefined ? await run('ip', args) : await run('nsenter', ['-t', String(pid), '-n', 'ip', ...args]);
  if (r.exitCode !== 0) {
    if (/does not exist|Cannot find device/i.test(r.stderr)) return undefined;
    if (pid !== undefined && /No such file|No such process|can't open/i.test(r.stderr)) return undefined;
    throw new Error(`ip link show ${name}${pid !== undefined ? ` (netns of pid ${pid})` : ''}: ${r.stderr.trim()}`);
  }
  const list = JSON.parse(r.stdout || '[]') as LinkInfo[];
  return list[0];
}

function isUp(l: LinkInfo | undefined): boolean {
  if (!l) return false;
  return l.operstate === 'UP' || (Boolean(l.flags?.includes('UP')) && Boolean(l.flags?.includes('LOWER_UP')));
}

async function ipBatch(lines: string[], pid?: number): Promise<void> {
  if (!lines.length) return;
  const input = `${lines.join('\n')}\n`;
  if (pid === undefined) await mustRun('ip', ['-batch', '-'], { input });
  else await mustRun('nsenter', ['-t', String(pid), '-n', 'ip', '-batch', '-'], { input });
}

/** Turns TX checksum offload off (on the netdev datapath TCP fails otherwise; see notes/host-plumbing.md). */
async function txOff(ifName: string, pid?: number): Promise<void> {
  const args = ['-K', ifName, 'tx', 'off'];
  const r = pid === undefined ? await run('ethtool', args) : await run('nsenter', ['-t', String(pid), '-n', 'ethtool', ...args]);
  // ethtool exits non-zero when a feature cannot be changed but others were: only a missing device is fatal.
  if (r.exitCode !== 0 && /No such device|Cannot get device/i.test(r.stderr)) {
    throw new Error(`ethtool -K ${ifName} tx off: ${r.stderr.trim()}`);
  }
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const CIDR4 = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const CIDR6 = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

function checkEnd(end: PlannedLinkEnd): void {
  if (!end || typeof end !== 'object') throw permanent('link end missing', 'InvalidInput');
  safeName('link end node', end.node);
  safeIfName('host interface', end.hostIf);
  safeIfName(`interface of node ${end.node}`, end.ifName);
  if (end.mac !== undefined && !MAC.test(end.mac)) throw permanent(`invalid MAC address ${JSON.stringify(end.mac)} on ${end.node}:${end.interface}`, 'InvalidInput');
  if (end.ipv4 !== undefined && !CIDR4.test(end.ipv4)) throw permanent(`invalid IPv4 address ${JSON.stringify(end.ipv4)} on ${end.node}:${end.interface}: expected CIDR such as 10.0.0.1/24`, 'InvalidInput');
  if (end.ipv6 !== undefined && !CIDR6.test(end.ipv6)) throw permanent(`invalid IPv6 address ${JSON.stringify(end.ipv6)} on ${end.node}:${end.interface}: expected CIDR such as 2001:db8::1/64`, 'InvalidInput');
}

/** The live init PID of the lab's container for `node`; fails non-retryably when it is missing or stopped. */
async function livePid(lab: string, node: string, hostId: string, hint?: number): Promise<number> {
  const list = await docker().listContainers({ all: true, filters: { label: [`archetype.lab=${lab}`, `archetype.node=${node}`, 'archetype.managed=true'] } });
  if (!list.length) throw permanent(`node ${node} of lab ${lab} has no container on host ${hostId}`, 'NodeMissing');
  const info = await docker().getContainer(list[0].Id).inspect();
  if (!info.State.Running || !info.State.Pid) {
    throw permanent(`the container of node ${node} (lab ${lab}) on host ${hostId} is not running (${info.State.Status}); start it before wiring its links`, 'NodeMissing');
  }
  if (hint !== undefined && hint !== info.State.Pid) {
    log(`node ${node} of lab ${lab}: container PID is ${info.State.Pid}, not ${hint} (restarted); wiring into the live namespace`);
  }
  return info.State.Pid;
}

export function createEnsureBridge(defaults: { hostId: string; datapath: Datapath }) {
  return async function ensureBridge(input: EnsureBridgeInput): Promise<{ bridge: string; created: boolean }> {
    const lab = safeName('lab', input?.lab);
    const hostId = safeName('hostId', input.hostId ?? defaults.hostId);
    const bridge = safeIfName('bridge', input.bridge);
    const datapath = input.datapath ?? defaults.datapath;
    if (datapath !== 'netdev' && datapath !== 'system') throw permanent(`invalid OVS datapath ${JSON.stringify(datapath)}`, 'InvalidInput');

    const existing = await find('bridge', ['name', 'external_ids', 'datapath_type'], [`name=${bridge}`]);
    if (existing.length) {
      const ids = (existing[0].external_ids as Record<string, string> | undefined) ?? {};
      if (ids['archetype-lab'] !== lab) {
        throw permanent(`an Open vSwitch bridge named ${bridge} already exists on host ${hostId} and does not belong to lab ${lab}`
          + `${ids['archetype-lab'] ? ` (it belongs to lab ${ids['archetype-lab']})` : ''}; remove it or rename the lab`, 'NameConflict');
      }
    }
    const mark = externalIds(ovsMark({ lab, hostId }));
    // One transaction: create (or keep) the bridge, mark it and its local port, set the datapath.
    // fail_mode standalone: the NORMAL action (MAC learning); access ports with different tags
    // never exchange frames, so VLANs isolate links. No STP, no in-band control flows.
    await vsctl([
      '--may-exist', 'add-br', bridge,
      '--', 'set', 'bridge', bridge, `datapath_type=${datapath}`, 'fail_mode=standalone', 'stp_enable=false',
      'other_config:disable-in-band=true', 'mcast_snooping_enable=false', ...mark,
      '--', 'set', 'port', bridge, ...mark,
      '--', 'set', 'interface', bridge, ...mark,
    ]);
    // The bridge's local device appears once ovs-vswitchd has applied the transaction.
    for (let i = 0; ; i++) {
      const r = await run('ip', ['link', 'set', 'dev', bridge, 'up']);
      if (r.exitCode === 0) break;
      if (i >= 50) throw new Error(`bringing OVS bridge ${bridge} up: ${r.stderr.trim()}`);
      await sleep(100);
    }
    return { bridge, created: existing.length === 0 };
  };
}

export function createWireLinkEnd(defaults: { hostId: string; datapath: Datapath }) {
  return async function wireLinkEnd(input: WireLinkEndInput): Promise<WireLinkEndResult> {
    const lab = safeName('lab', input?.lab);
    const hostId = safeName('hostId', input.hostId ?? defaults.hostId);
    const bridge = safeIfName('bridge', input.bridge);
    const vlan = safeInt('vlan', input.vlan, 1, 4094);
    const mtu = safeInt('mtu', input.mtu, 68, 65535);
    const linkId = safeName('link id', input.linkId);
    const end = input.end;
    checkEnd(end);
    const { hostIf, ifName } = end;
    const pid = await livePid(lab, end.node, hostId, input.pid);
    const where = `${end.node}:${ifName} (host ${hostId}, ${hostIf})`;

    const [inner, host, ovs] = await Promise.all([linkShow(ifName, pid), linkShow(hostIf), interfaceState(hostIf)]);
    const paired = Boolean(inner && host && host.link_index === inner.ifindex && inner.link_index === host.ifindex && host.link_netnsid !== undefined);
    const ovsOk = Boolean(ovs && ovs.bridge === bridge && ovs.ofport >= 0 && !ovs.error);

    if (paired && ovsOk) {
      // Healthy: make sure the settings a previous attempt may not have finished are in place.
      const fixes: Promise<unknown>[] = [];
      if (!isUp(host) || !isUp(inner)) {
        fixes.push(ipBatch([`link set dev ${ifName} up`], pid), ipBatch([`link set dev ${hostIf} up`]));
      }
      if (ovs!.tag !== vlan || ovs!.externalIds['archetype-link'] !== linkId) {
        const mark = externalIds(ovsMark({ lab, hostId, node: end.node, link: linkId }));
        fixes.push(vsctl(['set', 'port', hostIf, `tag=${vlan}`, ...mark, '--', 'set', 'interface', hostIf, ...mark]));
      }
      await Promise.all(fixes);
      return { created: false, ofport: ovs!.ofport };
    }

    // Something is missing or stale: clear what is ours and re-plumb from scratch.
    const repaired: string[] = [];
    if (ovs) {
      const ids = ovs.externalIds;
      if (ids['archetype-lab'] !== undefined && ids['archetype-lab'] !== lab) {
        throw permanent(`OVS port ${hostIf} on host ${hostId} belongs to lab ${ids['archetype-lab']}, not ${lab}`, 'NameConflict');
      }
      // Netdev does not notice a re-created veth behind an existing port: delete the port, add it again.
      await vsctl(['--if-exists', 'del-port', hostIf]);
      repaired.push(`OVS port ${hostIf} (${ovs.error ?? `ofport ${ovs.ofport}`})`);
    }
    if (host) {
      if (host.linkinfo?.info_kind !== 'veth' || (host.ifalias && host.ifalias !== vethAlias(lab, linkId))) {
        throw permanent(`host interface ${hostIf} on host ${hostId} exists and is not this link's veth (${host.linkinfo?.info_kind ?? 'unknown kind'}`
          + `${host.ifalias ? `, "${host.ifalias}"` : ''}); refusing to delete it`, 'NameConflict');
      }
      await delLink(hostIf);
      repaired.push(`leftover host veth ${hostIf}`);
    }
    if (inner && !paired) {
      if (inner.linkinfo?.info_kind !== 'veth') {
        throw permanent(`node ${end.node} already has an interface ${ifName} that is not a veth (${inner.linkinfo?.info_kind ?? 'unknown kind'}); `
          + 'the topology wires a link to it', 'NameConflict');
      }
      await ipBatch([`link del dev ${ifName}`], pid).catch((err) => {
        if (!/Cannot find device/.test(errorMessage(err))) throw err;
      });
      repaired.push(`stale ${ifName} in ${end.node}`);
    }
    if (repaired.length) log(`link ${linkId}, ${where}: re-plumbing (${repaired.join('; ')})`);
    heartbeat({ wiring: linkId, end: end.node });

    // The veth pair is created with its peer directly in the container's namespace under its final
    // name (one netlink request): no temporary peer name can be left behind in the host namespace.
    await ipBatch([
      `link add ${hostIf} mtu ${mtu} type veth peer name ${ifName} mtu ${mtu} netns ${pid}`,
      `link set dev ${hostIf} alias "${vethAlias(lab, linkId)}"`,
    ]);
    const innerLines = [
      ...(end.mac ? [`link set dev ${ifName} address ${end.mac}`] : []),
      ...(end.ipv4 ? [`addr replace ${end.ipv4} dev ${ifName}`] : []),
      ...(end.ipv6 ? [`addr replace ${end.ipv6} dev ${ifName} nodad`] : []),
      `link set dev ${ifName} up`,
    ];
    await Promise.all([txOff(ifName, pid), txOff(hostIf)]);
    await Promise.all([ipBatch(innerLines, pid), ipBatch([`link set dev ${hostIf} up`])]);

    const mark = externalIds(ovsMark({ lab, hostId, node: end.node, link: linkId }));
    await vsctl([
      '--may-exist', 'add-port', bridge, hostIf, `tag=${vlan}`,
      '--', 'set', 'port', hostIf, `tag=${vlan}`, 'vlan_mode=access', ...mark,
      '--', 'set', 'interface', hostIf, ...mark,
    ]);
    // Wait for ovs-vswitchd to open the device (also covers exit 65: committed, applied later).
    let state = await interfaceState(hostIf);
    for (let i = 0; i < 100 && !(state && state.ofport >= 0); i++) {
      await sleep(100);
      state = await interfaceState(hostIf);
    }
    if (!state || state.ofport < 0) {
      throw new Error(`OVS did not open ${hostIf} on bridge ${bridge}: ${state?.error ?? 'no ofport'}`);
    }
    return { created: true, repaired: repaired.length ? repaired : undefined, ofport: state.ofport };
  };
}

async function delLink(name: string): Promise<void> {
  const r = await run('ip', ['link', 'del', 'dev', name]);
  if (r.exitCode !== 0 && !/Cannot find device|does not exist/i.test(r.stderr)) {
    throw new Error(`ip link del ${name}: ${r.stderr.trim()}`);
  }
}

export function createLinkEndStatus() {
  return async function linkEndStatus(input: LinkEndStatusInput): Promise<LinkEndStatus> {
    checkEnd(input?.end);
    const bridge = safeIfName('bridge', input.bridge);
    const pid = safeInt('pid', input.pid, 1, 2 ** 31);
    const [inner, host, ovs] = await Promise.all([linkShow(input.end.ifName, pid), linkShow(input.end.hostIf), interfaceState(input.end.hostIf)]);
    return {
      hostUp: isUp(host),
      innerUp: isUp(inner),
      inOvs: Boolean(ovs && ovs.bridge === bridge),
      ofport: ovs?.ofport ?? -1,
    };
  };
}

export interface RemoveLabNetworkingResult {
  ports: number;
  bridges: number;
  veths: number;
}

/** Host veths whose alias marks them as this lab's (also those never added to OVS). */
async function markedVeths(lab: string): Promise<string[]> {
  const r = await run('ip', ['-j', '-d', 'link', 'show', 'type', 'veth']);
  if (r.exitCode !== 0) throw new Error(`ip link show type veth: ${r.stderr.trim()}`);
  const prefix = `archetype lab=${lab} link=`;
  return (JSON.parse(r.stdout || '[]') as LinkInfo[]).filter((l) => l.ifalias?.startsWith(prefix)).map((l) => l.ifname);
}

export async function removeLabNetworking(lab: string): Promise<RemoveLabNetworkingResult> {
  const cond = `external_ids:archetype-lab=${JSON.stringify(lab)}`;
  const [bridges, ports, ifaces] = await Promise.all([
    find('bridge', ['name'], [cond]),
    find('port', ['name'], [cond]),
    find('interface', ['name', 'type'], [cond]),
  ]);
  const bridgeNames = bridges.map((b) => String(b.name));
  // A bridge's local port goes with the bridge; every other marked port is deleted explicitly
  // (it may sit on a bridge that is not the lab's).
  const portNames = ports.map((p) => String(p.name)).filter((p) => !bridgeNames.includes(p));
  const cmds: string[][] = [
    ...portNames.map((p) => ['--if-exists', 'del-port', p]),
    ...bridgeNames.map((b) => ['--if-exists', 'del-br', b]),
  ];
  if (cmds.length) await vsctl(cmds.flatMap((c, i) => (i === 0 ? c : ['--', ...c])));

  const veths = new Set([
    ...ifaces.filter((i) => !bridgeNames.includes(String(i.name)) && (i.type === undefined || i.type === '' || i.type === 'system')).map((i) => String(i.name)),
    ...(await markedVeths(lab)),
  ]);
  let removed = 0;
  for (const name of veths) {
    const l = await linkShow(name);
    if (!l || l.linkinfo?.info_kind !== 'veth') continue; // gone with its container, or not a veth: not ours to delete
    await delLink(name);
    removed++;
  }
  return { ports: portNames.length, bridges: bridgeNames.length, veths: removed };
}

export function createRemoveLabNetworking() {
  return async function removeLabNetworkingActivity(input: { lab: string; hostId?: string }): Promise<RemoveLabNetworkingResult> {
    return removeLabNetworking(safeName('lab', input?.lab));
  };
}
