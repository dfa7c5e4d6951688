// Deterministic deployment planning: a pure function of (topology, hosts). Imported by workflows, so
// no Node APIs, no I/O, no clocks, no randomness, and no `yaml` (parsing lives in parse.ts).
import { getKind } from './kinds/index';
import { allocateMgmt, defaultMgmtNetwork } from './mgmt';
import { fnv1a32, labIdOf, MAX_IFNAME } from './names';
import type { HostInfo, LabPlan, LinkSpec, PlannedLink, PlannedLinkEnd, PlannedNode, Topology } from './types';
import { computeWaves } from './waves';

export { labIdOf } from './names';

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** Usable OVS VLAN tags are 1..4094. */
export const MAX_VLAN = 4094;
/** containerlab's default link MTU. */
export const DEFAULT_MTU = 9500;
/** Largest VXLAN network identifier. */
export const MAX_VNI = 16777215;

export interface PlanOptions {
  /** An earlier plan of the same lab: later lets a redeploy keep its VLANs and addresses (unused for now). */
  existing?: LabPlan;
}

/** The lab's OVS bridge on every host: `ar-<labId>`. */
export function bridgeName(labId: string): string {
  return `ar-${labId}`;
}

/** Host-side veth name: `v<labId>-<link index base36><a|b>`, unique across labs on a host, ≤ 15 chars. */
export function hostIfName(labId: string, linkIndex: number, side: 'a' | 'b'): string {
  return `v${labId}-${linkIndex.toString(36)}${side}`;
}

/** Docker container name, following containerlab's `prefix` semantics (default prefix `arch`). */
export function containerNameOf(lab: string, node: string, prefix: string | undefined): string {
  if (prefix === undefined) return `arch-${lab}-${node}`;
  if (prefix === '') return node;
  if (prefix === '__lab-name') return `${lab}-${node}`;
  return `${prefix}-${lab}-${node}`;
}

/** Deterministic VNI of the `ordinal`-th cross-host link of a lab: high 12 bits from the lab hash. */
export function vniOf(labName: string, ordinal: number): number {
  const hi = (fnv1a32(labName) % 4095) + 1; // 1..4095
  return hi * 4096 + ordinal; // ≤ 4095 * 4096 + 4095 = 16777215
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Node → host. Pins (label `archetype.host`) first; others to the host with most remaining capacity. */
export function placeNodes(topology: Topology, hosts: readonly HostInfo[]): Map<string, string> {
  if (hosts.length === 0) throw new PlanError('no hosts to place the lab on; expected at least one host');
  const ids = hosts.map((h) => h.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new PlanError(`host "${dup}" is listed twice`);
  const sorted = [...hosts].sort((a, b) => cmp(a.id, b.id));
  const remaining = new Map<string, number>(sorted.map((h) => [h.id, h.capacity ?? Infinity]));
  const placement = new Map<string, string>();
  const nodes = [...topology.nodes].sort((a, b) => cmp(a.name, b.name));

  for (const n of nodes) {
    if (n.host === undefined) continue;
    if (!remaining.has(n.host)) {
      throw new PlanError(`node "${n.name}" is pinned to host "${n.host}" (label archetype.host), which is not a known host; hosts are: ${sorted.map((h) => h.id).join(', ')}`);
    }
    const left = remaining.get(n.host)!;
    if (left <= 0) {
      const cap = hosts.find((h) => h.id === n.host)!.capacity;
      throw new PlanError(`host "${n.host}" has capacity for ${cap} nodes, but more nodes are pinned to it (node "${n.name}" does not fit)`);
    }
    remaining.set(n.host, left - 1);
    placement.set(n.name, n.host);
  }
  for (const n of nodes) {
    if (n.host !== undefined) continue;
    let best: string | undefined;
    let bestLeft = 0;
    for (const h of sorted) {
      const left = remaining.get(h.id)!;
      if (left > bestLeft) {
        best = h.id;
        bestLeft = left;
      }
    }
    if (best === undefined) {
      const total = hosts.reduce((s, h) => s + (h.capacity ?? Infinity), 0);
      throw new PlanError(`capacity exceeded: the lab has ${topology.nodes.length} nodes but the hosts accept ${total} in total (node "${n.name}" does not fit)`);
    }
    remaining.set(best, bestLeft - 1);
    placement.set(n.name, best);
  }
  return placement;
}

function endKey(e: { node: string; interface: string }): string {
  return `${e.node}:${e.interface}`;
}

/** Stable link id with endpoints sorted: `r1:eth1--r2:eth1`. */
export function linkIdOf(link: LinkSpec): string {
  return link.endpoints.map(endKey).sort().join('--');
}

export function planLab(topology: Topology, hosts: HostInfo[], opts: PlanOptions = {}): LabPlan {
  void opts.existing; // reserved: keep VLANs/addresses stable on redeploy
  const lab = topology.name;
  const labId = labIdOf(lab);
  const bridge = bridgeName(labId);

  const byName = new Map(topology.nodes.map((n) => [n.name, n]));
  if (byName.size !== topology.nodes.length) throw new PlanError('node names must be unique');
  for (const n of topology.nodes) {
    if (!getKind(n.kind)) throw new PlanError(`node "${n.name}" has unsupported kind "${n.kind}"`);
  }

  const placement = placeNodes(topology, hosts);

  // waves
  const { waves, unknown, cycle } = computeWaves(topology.nodes);
  if (unknown.length) throw new PlanError(`node "${unknown[0].node}" waits for unknown node "${unknown[0].dep}"`);
  if (cycle) throw new PlanError(`wait-for dependencies form a cycle: ${cycle.join(' → ')}`);

  // management network
  const alloc = allocateMgmt({ name: lab, mgmt: topology.mgmt, nodes: topology.nodes });
  if (alloc.problems.length) {
    const p = alloc.problems[0];
    throw new PlanError(p.node ? `node "${p.node}": ${p.field}: ${p.message}` : `mgmt.${p.field}: ${p.message}`);
  }

  const nodes: PlannedNode[] = topology.nodes
    .map((spec) => ({
      name: spec.name,
      kind: spec.kind,
      host: placement.get(spec.name)!,
      containerName: containerNameOf(lab, spec.name, topology.prefix),
      image: spec.image,
      ...(alloc.ipv4.has(spec.name) ? { mgmtIpv4: alloc.ipv4.get(spec.name)! } : {}),
      ...(alloc.ipv6.has(spec.name) ? { mgmtIpv6: alloc.ipv6.get(spec.name)! } : {}),
      wave: waves.get(spec.name) ?? 0,
      spec,
    }))
    .sort((a, b) => a.wave - b.wave || cmp(a.name, b.name));
  const containerNames = new Set<string>();
  for (const n of nodes) {
    if (containerNames.has(n.containerName)) throw new PlanError(`two nodes would share the container name "${n.containerName}"`);
    containerNames.add(n.containerName);
  }

  // links
  const vlanNext = new Map<string, number>(); // host → next free tag on the lab's bridge there
  const takeVlan = (host: string, link: number): number => {
    const v = vlanNext.get(host) ?? 1;
    if (v > MAX_VLAN) {
      throw new PlanError(`host "${host}" would need more than ${MAX_VLAN} VLAN tags on bridge ${bridge} (link #${link}); a lab can have at most ${MAX_VLAN} links per host`);
    }
    vlanNext.set(host, v + 1);
    return v;
  };
  const usedIf = new Set<string>();
  let vxlanOrdinal = 0;
  const links: PlannedLink[] = topology.links.map((link, index) => {
    const ends = link.endpoints.map((ep, i): PlannedLinkEnd => {
      const node = byName.get(ep.node);
      if (!node) throw new PlanError(`link #${index} names unknown node "${ep.node}"`);
      const kind = getKind(node.kind)!;
      const why = kind.validateInterface(ep.interface);
      if (why) throw new PlanError(`link #${index}: interface "${ep.interface}" of node "${ep.node}" ${why}`);
      const ifName = kind.containerInterfaceName(ep.interface);
      const key = `${ep.node}\0${ifName}`;
      if (usedIf.has(key)) throw new PlanError(`interface ${ep.node}:${ep.interface} is used by more than one link`);
      usedIf.add(key);
      const hostIf = hostIfName(labId, index, i === 0 ? 'a' : 'b');
      if (hostIf.length > MAX_IFNAME) throw new PlanError(`too many links: host interface name ${hostIf} exceeds ${MAX_IFNAME} characters`);
      return {
        node: ep.node,
        host: placement.get(ep.node)!,
        interface: ep.interface,
        ifName,
        hostIf,
        ...(ep.mac !== undefined ? { mac: ep.mac } : {}),
        ...(ep.ipv4 !== undefined ? { ipv4: ep.ipv4 } : {}),
        ...(ep.ipv6 !== undefined ? { ipv6: ep.ipv6 } : {}),
      };
    });
    const [a, b] = ends;
    const base = { id: linkIdOf(link), index, mtu: link.mtu ?? DEFAULT_MTU, a, b };
    if (a.host === b.host) {
      return { ...base, kind: 'local', host: a.host, bridge, vlan: takeVlan(a.host, index) };
    }
    if (vxlanOrdinal > 4095) throw new PlanError(`too many cross-host links in lab "${lab}" (at most 4096)`);
    const vni = vniOf(lab, vxlanOrdinal++);
    const sides = [a.host, b.host].map((host) => ({ host, bridge, vlan: takeVlan(host, index) }));
    return { ...base, kind: 'vxlan', vni, sides };
  });

  const usedHosts = [...new Set(nodes.map((n) => n.host))].sort(cmp);
  return {
    lab,
    labId,
    mgmt: {
      network: topology.mgmt.network || defaultMgmtNetwork(lab),
      ipv4Subnet: alloc.ipv4Subnet,
      ipv4Gateway: alloc.ipv4Gateway,
      ...(alloc.ipv6Subnet ? { ipv6Subnet: alloc.ipv6Subnet } : {}),
    },
    bridges: usedHosts.map((host) => ({ host, bridge })),
    hosts: usedHosts,
    nodes,
    links,
  };
}
