import { readFile } from 'fs/promises';
import * as path from 'path';
import { eosInterfaceName, getKind, SUPPORTED_KINDS } from '../../../lab/kinds/index';
import { containerNameOf, labIdOf, PlanError, planLab } from '../../../lab/plan';
import type { LinkSpec, NodeSpec, Topology, VxlanLink } from '../../../lab/types';
import { lab, ok, parseFixture } from './helpers';

function node(name: string, extra: Partial<NodeSpec> = {}): NodeSpec {
  return { name, kind: 'linux', image: 'alpine', binds: [], env: {}, envFiles: [], ports: [], exec: [], labels: {}, waitFor: [], ...extra };
}
function topo(nodes: NodeSpec[], links: LinkSpec[] = [], extra: Partial<Topology> = {}): Topology {
  return { name: 'p', mgmt: { network: 'arch-p' }, nodes, links, dir: '/labs/p', file: '/labs/p/p.clab.yml', ...extra };
}
function link(a: string, ai: string, b: string, bi: string): LinkSpec {
  return { type: 'veth', endpoints: [{ node: a, interface: ai }, { node: b, interface: bi }] };
}

describe('names', () => {
  test('labIdOf is 6 hex chars and deterministic', () => {
    expect(labIdOf('lab1')).toMatch(/^[0-9a-f]{6}$/);
    expect(labIdOf('lab1')).toBe(labIdOf('lab1'));
    expect(labIdOf('lab1')).not.toBe(labIdOf('lab2'));
  });
  test('container names follow containerlab prefix semantics', () => {
    expect(containerNameOf('l', 'n', undefined)).toBe('arch-l-n');
    expect(containerNameOf('l', 'n', '')).toBe('n');
    expect(containerNameOf('l', 'n', '__lab-name')).toBe('l-n');
    expect(containerNameOf('l', 'n', 'clab')).toBe('clab-l-n');
  });
  test('prefix from the file reaches the plan', () => {
    const plan = planLab(ok(`name: l\nprefix: ""\ntopology:\n  nodes:\n    n1: {kind: linux, image: a}\n`), [{ id: 'local' }]);
    expect(plan.nodes[0].containerName).toBe('n1');
  });
});

describe('kinds', () => {
  test('registry', () => {
    expect(SUPPORTED_KINDS).toEqual(['linux', 'ceos', 'qemu']);
    expect(getKind('arista_ceos')?.name).toBe('ceos');
    expect(getKind('linux')?.deployable).toBe(true);
    expect(getKind('ceos')?.deployable).toBe(false);
    expect(getKind('nokia_srlinux')).toBeUndefined();
  });
  test('cEOS interface mapping', () => {
    const k = getKind('ceos')!;
    expect(['eth1', 'et2', 'Ethernet3', 'eth1_1', 'Ethernet4/2'].map((i) => k.containerInterfaceName(i))).toEqual(['eth1', 'eth2', 'eth3', 'eth1_1', 'eth4_2']);
    expect(eosInterfaceName('eth1_1')).toBe('Ethernet1/1');
    expect(eosInterfaceName('et7')).toBe('Ethernet7');
    expect(k.validateInterface('Ethernet0')).toMatch(/numbered from 1/);
  });
  test('qemu interfaces', () => {
    expect(getKind('qemu')!.validateInterface('eth1')).toBeUndefined();
    expect(getKind('qemu')!.validateInterface('ens3')).toBeDefined();
  });
});

describe('planLab', () => {
  test('fixtures plan deterministically', async () => {
    for (const f of ['linux-basic.clab.yml', 'frr-triangle/frr-triangle.clab.yml', 'ceos.clab.yml', 'qemu-vm.clab.yml']) {
      const t = (await parseFixture(f)).topology!;
      expect(planLab(t, [{ id: 'local' }])).toEqual(planLab(structuredClone(t), [{ id: 'local' }]));
    }
  });

  test('frr-triangle plan: names, tags, waves, addresses', async () => {
    const plan = planLab((await parseFixture('frr-triangle/frr-triangle.clab.yml')).topology!, [{ id: 'h1' }]);
    const id = labIdOf('frr-triangle');
    expect(plan.labId).toBe(id);
    expect(plan.bridges).toEqual([{ host: 'h1', bridge: `ar-${id}` }]);
    expect(plan.hosts).toEqual(['h1']);
    expect(plan.mgmt).toEqual({ network: 'frr-mgmt', ipv4Subnet: '172.30.30.0/24', ipv4Gateway: '172.30.30.1' });
    expect(plan.nodes.map((n) => [n.name, n.wave, n.containerName, n.mgmtIpv4])).toEqual([
      ['r1', 0, 'frr-triangle-r1', '172.30.30.11'],
      ['r2', 1, 'frr-triangle-r2', '172.30.30.2'],
      ['r3', 2, 'frr-triangle-r3', '172.30.30.3'],
    ]);
    expect(plan.links.map((l) => (l.kind === 'local' ? [l.id, l.vlan, l.mtu, l.a.hostIf, l.b.hostIf] : []))).toEqual([
      ['r1:eth1--r2:eth1', 1, 1500, `v${id}-0a`, `v${id}-0b`],
      ['r2:eth2--r3:eth1', 2, 9500, `v${id}-1a`, `v${id}-1b`],
      ['r1:eth2--r3:eth2', 3, 9500, `v${id}-2a`, `v${id}-2b`],
    ]);
    expect(plan.links[2].a).toMatchObject({ node: 'r3', mac: '02:00:00:00:03:02', ipv4: '10.0.13.3/24' });
  });

  test('cEOS link ends use the in-container Linux names', async () => {
    const plan = planLab((await parseFixture('ceos.clab.yml')).topology!, [{ id: 'local' }]);
    expect(plan.links.map((l) => [l.a.ifName, l.b.ifName])).toEqual([
      ['eth1', 'eth1'],
      ['eth2', 'eth2'],
      ['eth3_1', 'eth3_1'],
      ['eth4', 'eth1'],
    ]);
  });

  test('default mgmt subnet derives from the lab name; v6 allocated when a subnet is given', () => {
    const t = ok(`name: v6lab\nmgmt: {ipv6-subnet: "2001:db8:99::/64"}\ntopology:\n  nodes:\n    a: {kind: linux, image: x}\n    b: {kind: linux, image: x, mgmt-ipv6: "2001:db8:99::2"}\n    c: {kind: linux, image: x, network-mode: none}\n`);
    const plan = planLab(t, [{ id: 'local' }]);
    expect(plan.mgmt.ipv4Subnet).toMatch(/^172\.20\.\d+\.0\/24$/);
    expect(plan.mgmt.ipv6Subnet).toBe('2001:db8:99::/64');
    const by = Object.fromEntries(plan.nodes.map((n) => [n.name, n]));
    expect(by.a.mgmtIpv6).toBe('2001:db8:99::3');
    expect(by.b.mgmtIpv6).toBe('2001:db8:99::2');
    expect(by.c.mgmtIpv4).toBeUndefined();
  });

  test('more than 4094 links on one host bridge is refused', () => {
    const links: LinkSpec[] = [];
    for (let i = 1; i <= 4095; i++) links.push(link('a', `e${i}`, 'b', `e${i}`));
    const t = topo([node('a'), node('b')], links);
    expect(() => planLab(t, [{ id: 'h' }])).toThrow(PlanError);
    expect(() => planLab(t, [{ id: 'h' }])).toThrow(/more than 4094 VLAN tags on bridge ar-[0-9a-f]{6}/);
    expect(() => planLab(topo([node('a'), node('b')], links.slice(0, 4094)), [{ id: 'h' }])).not.toThrow();
  });

  test('pins, unknown pinned host, capacity', () => {
    const t = topo([node('a', { host: 'h2' }), node('b'), node('c')], [link('a', 'eth1', 'b', 'eth1')]);
    const plan = planLab(t, [{ id: 'h1', capacity: 5 }, { id: 'h2', capacity: 2 }]);
    expect(Object.fromEntries(plan.nodes.map((n) => [n.name, n.host]))).toEqual({ a: 'h2', b: 'h1', c: 'h1' });
    expect(() => planLab(t, [{ id: 'h1' }])).toThrow(/node "a" is pinned to host "h2" \(label archetype.host\), which is not a known host; hosts are: h1/);
    expect(() => planLab(t, [{ id: 'h1', capacity: 1 }, { id: 'h2', capacity: 1 }])).toThrow(/capacity exceeded: the lab has 3 nodes but the hosts accept 2/);
    expect(() => planLab(t, [])).toThrow(PlanError);
    // capacity-aware: the host with the most room wins, ties by id
    const t2 = topo([node('a'), node('b'), node('c')]);
    const p2 = planLab(t2, [{ id: 'y', capacity: 2 }, { id: 'x', capacity: 2 }]);
    expect(p2.nodes.map((n) => n.host)).toEqual(['x', 'y', 'x']);
  });

  test('a link across hosts becomes a VXLAN link with a VNI and one side per host', () => {
    const t = topo([node('a', { host: 'h1' }), node('b', { host: 'h2' }), node('c', { host: 'h1' })], [link('a', 'eth1', 'b', 'eth1'), link('a', 'eth2', 'c', 'eth1')]);
    const plan = planLab(t, [{ id: 'h1' }, { id: 'h2' }]);
    const x = plan.links[0] as VxlanLink;
    expect(x.kind).toBe('vxlan');
    expect(x.vni).toBeGreaterThanOrEqual(1);
    expect(x.vni).toBeLessThanOrEqual(16777215);
    expect(x.sides).toEqual([
      { host: 'h1', bridge: `ar-${plan.labId}`, vlan: 1 },
      { host: 'h2', bridge: `ar-${plan.labId}`, vlan: 1 },
    ]);
    expect(plan.links[1]).toMatchObject({ kind: 'local', host: 'h1', vlan: 2 });
    expect(plan.bridges.map((b) => b.host)).toEqual(['h1', 'h2']);
  });

  test('hand-built impossible topologies throw PlanError', () => {
    expect(() => planLab(topo([node('a', { waitFor: ['b'] }), node('b', { waitFor: ['a'] })]), [{ id: 'h' }])).toThrow(/cycle/);
    expect(() => planLab(topo([node('a', { kind: 'srl' })]), [{ id: 'h' }])).toThrow(/unsupported kind/);
    expect(() => planLab(topo([node('a')], [link('a', 'eth1', 'zz', 'eth1')]), [{ id: 'h' }])).toThrow(/unknown node "zz"/);
    expect(() => planLab(topo([node('a'), node('b')], [], { mgmt: { network: 'n', ipv4Subnet: '10.0.0.0/30' } }), [{ id: 'h' }])).toThrow(/too small/);
  });

  test('opts.existing is accepted', () => {
    const t = ok(lab('    a: {kind: linux, image: x}'));
    const first = planLab(t, [{ id: 'h' }]);
    expect(planLab(t, [{ id: 'h' }], { existing: first })).toEqual(first);
  });
});

describe('lab/plan stays free of yaml and Node built-ins', () => {
  test('import graph of lab/plan.ts', async () => {
    const root = path.resolve(__dirname, '../../../lab');
    const seen = new Set<string>();
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = await readFile(file, 'utf8');
      for (const m of src.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gm)) {
        const spec = m[1];
        expect(spec.startsWith('.')).toBe(true); // no packages (yaml) and no Node built-ins
        await visit(path.resolve(path.dirname(file), spec) + '.ts');
      }
    };
    await visit(path.join(root, 'plan.ts'));
    expect([...seen].map((f) => path.relative(root, f)).sort()).not.toContain('parse.ts');
  });
});
