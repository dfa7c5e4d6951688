// Management network: subnet, gateway and per-node addresses. Pure; shared by parse and plan.
import { fnv1a32 } from './names';
import { type Cidr4, formatCidr4, formatIpv4, formatIpv6, inCidr4, inCidr6, parseCidr4, parseCidr6, parseIpv4, parseIpv6 } from './ip';

export function defaultMgmtNetwork(lab: string): string {
  return `arch-${lab}`;
}

/** Deterministic default subnet: `172.20.<hash % 256>.0/24`. */
export function defaultIpv4Subnet(lab: string): string {
  return `172.20.${fnv1a32(lab) % 256}.0/24`;
}

export interface MgmtInput {
  name: string;
  mgmt: { ipv4Subnet?: string; ipv6Subnet?: string; ipv4Gateway?: string };
  nodes: readonly { name: string; mgmtIpv4?: string; mgmtIpv6?: string; networkMode?: string }[];
}

export interface MgmtProblem {
  /** Node concerned, or undefined for the network itself. */
  node?: string;
  field: 'ipv4-subnet' | 'ipv6-subnet' | 'ipv4-gw' | 'mgmt-ipv4' | 'mgmt-ipv6';
  message: string;
}

export interface MgmtAllocation {
  ipv4Subnet: string;
  ipv4Gateway: string;
  ipv6Subnet?: string;
  ipv4: Map<string, string>;
  ipv6: Map<string, string>;
  problems: MgmtProblem[];
}

/** Nodes attached to the management network (network-mode bridge, the default). */
function onMgmt(n: { networkMode?: string }): boolean {
  return n.networkMode === undefined || n.networkMode === 'bridge';
}

export function allocateMgmt(input: MgmtInput): MgmtAllocation {
  const problems: MgmtProblem[] = [];
  const subnetText = input.mgmt.ipv4Subnet ?? defaultIpv4Subnet(input.name);
  let subnet: Cidr4 | undefined = parseCidr4(subnetText);
  if (!subnet) {
    problems.push({ field: 'ipv4-subnet', message: `"${subnetText}" is not an IPv4 subnet; expected CIDR notation such as 172.20.20.0/24` });
  } else if (subnet.addr !== subnet.network) {
    problems.push({ field: 'ipv4-subnet', message: `"${subnetText}" has host bits set; expected the network address ${formatCidr4(subnet)}` });
  } else if (subnet.prefix > 30) {
    problems.push({ field: 'ipv4-subnet', message: `subnet ${subnetText} is too small; expected a prefix length of at most /30` });
    subnet = undefined;
  }
  const sub = subnet ?? parseCidr4('172.20.20.0/24')!;
  const first = sub.network + 1;
  const last = sub.network + sub.size - 2;
  let gateway = first;
  if (input.mgmt.ipv4Gateway !== undefined) {
    const g = parseIpv4(input.mgmt.ipv4Gateway);
    if (g === undefined) problems.push({ field: 'ipv4-gw', message: `"${input.mgmt.ipv4Gateway}" is not an IPv4 address` });
    else if (g < first || g > last) problems.push({ field: 'ipv4-gw', message: `gateway ${input.mgmt.ipv4Gateway} is not a host address of ${formatCidr4(sub)}` });
    else gateway = g;
  }

  const ipv4 = new Map<string, string>();
  const used = new Map<number, string>([[gateway, '(gateway)']]);
  const nodes = [...input.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const n of nodes) {
    if (n.mgmtIpv4 === undefined) continue;
    if (!onMgmt(n)) {
      problems.push({ node: n.name, field: 'mgmt-ipv4', message: `mgmt-ipv4 needs the management network, but network-mode is "${n.networkMode}"` });
      continue;
    }
    const a = parseIpv4(n.mgmtIpv4);
    if (a === undefined) {
      problems.push({ node: n.name, field: 'mgmt-ipv4', message: `"${n.mgmtIpv4}" is not an IPv4 address; expected e.g. ${formatIpv4(first + 1)}` });
    } else if (!inCidr4(a, sub) || a < first || a > last) {
      problems.push({ node: n.name, field: 'mgmt-ipv4', message: `${n.mgmtIpv4} is not a host address of the management subnet ${formatCidr4(sub)}` });
    } else if (used.has(a)) {
      const other = used.get(a)!;
      problems.push({
        node: n.name,
        field: 'mgmt-ipv4',
        message: other === '(gateway)' ? `${n.mgmtIpv4} is the management gateway; choose another address` : `${n.mgmtIpv4} is already used by node "${other}"`,
      });
    } else {
      used.set(a, n.name);
      ipv4.set(n.name, n.mgmtIpv4);
    }
  }
  let next = first;
  for (const n of nodes) {
    if (!onMgmt(n) || n.mgmtIpv4 !== undefined) continue;
    while (next <= last && used.has(next)) next++;
    if (next > last) {
      problems.push({ field: 'ipv4-subnet', message: `management subnet ${formatCidr4(sub)} is too small for ${nodes.filter(onMgmt).length} nodes plus the gateway` });
      break;
    }
    used.set(next, n.name);
    ipv4.set(n.name, formatIpv4(next));
  }

  // IPv6: static addresses pass through; the rest are allocated only when a subnet is given.
  const ipv6 = new Map<string, string>();
  const sub6 = input.mgmt.ipv6Subnet === undefined ? undefined : parseCidr6(input.mgmt.ipv6Subnet);
  if (input.mgmt.ipv6Subnet !== undefined && (!sub6 || sub6.prefix > 120)) {
    problems.push({ field: 'ipv6-subnet', message: `"${input.mgmt.ipv6Subnet}" is not a usable IPv6 subnet; expected CIDR notation such as 3fff:172:20:20::/64` });
  }
  const used6 = new Set<bigint>();
  if (sub6) used6.add(sub6.network + 1n);
  for (const n of nodes) {
    if (n.mgmtIpv6 === undefined || !onMgmt(n)) continue;
    const a = parseIpv6(n.mgmtIpv6);
    if (a === undefined) {
      problems.push({ node: n.name, field: 'mgmt-ipv6', message: `"${n.mgmtIpv6}" is not an IPv6 address` });
    } else if (sub6 && !inCidr6(a, sub6)) {
      problems.push({ node: n.name, field: 'mgmt-ipv6', message: `${n.mgmtIpv6} is not inside the management subnet ${input.mgmt.ipv6Subnet}` });
    } else if (used6.has(a)) {
      problems.push({ node: n.name, field: 'mgmt-ipv6', message: `${n.mgmtIpv6} is already used (by the gateway or another node)` });
    } else {
      used6.add(a);
      ipv6.set(n.name, n.mgmtIpv6);
    }
  }
  if (sub6 && sub6.prefix <= 120) {
    let n6 = sub6.network + 2n;
    for (const n of nodes) {
      if (!onMgmt(n) || n.mgmtIpv6 !== undefined) continue;
      while (used6.has(n6)) n6++;
      used6.add(n6);
      ipv6.set(n.name, formatIpv6(n6));
    }
  }

  return {
    ipv4Subnet: formatCidr4(sub),
    ipv4Gateway: formatIpv4(gateway),
    ipv6Subnet: sub6 ? `${formatIpv6(sub6.network)}/${sub6.prefix}` : undefined,
    ipv4,
    ipv6,
    problems,
  };
}
