import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseTopology } from '../../../lab/parse';
import { planLab } from '../../../lab/plan';
import type { HostInfo, LabPlan, ParseResult, Topology } from '../../../lab/types';

const nameArb = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);

interface Gen {
  doc: Record<string, unknown>;
  nodeCount: number;
  linkCount: number;
}

/** A valid containerlab topology (as a JS object ready for YAML), of linux and cEOS nodes. */
const validTopology: fc.Arbitrary<Gen> = fc
  .record({
    lab: nameArb,
    prefix: fc.option(fc.constantFrom('', '__lab-name', 'clab', 'x1'), { nil: undefined }),
    names: fc.uniqueArray(nameArb.filter((n) => !['host', 'mgmt-net', 'macvlan', 'bridge', 'ovs-bridge'].includes(n) && n.length >= 2), { minLength: 1, maxLength: 10 }),
    kinds: fc.array(fc.constantFrom('linux', 'ceos', 'arista_ceos'), { minLength: 10, maxLength: 10 }),
    pairs: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean(), fc.option(fc.integer({ min: 1280, max: 9500 }), { nil: undefined })), { maxLength: 25 }),
    waits: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    statics: fc.array(fc.nat({ max: 250 }), { maxLength: 3 }),
  })
  .map(({ lab, prefix, names, kinds, pairs, waits, statics }) => {
    const nodes: Record<string, Record<string, unknown>> = {};
    const next = new Map<string, number>();
    names.forEach((n, i) => {
      nodes[n] = { kind: kinds[i], image: kinds[i] === 'linux' ? 'alpine:3' : 'ceos:4.32' };
      next.set(n, 1);
    });
    // wait-for only towards earlier nodes: always acyclic
    for (const [a, b] of waits) {
      const i = a % names.length;
      const j = b % names.length;
      if (j < i) nodes[names[i]]['wait-for'] = [...((nodes[names[i]]['wait-for'] as string[]) ?? []), names[j]];
    }
    const usedAddr = new Set<number>();
    statics.forEach((s, k) => {
      const addr = 2 + s;
      if (k < names.length && !usedAddr.has(addr)) {
        usedAddr.add(addr);
        nodes[names[k]]['mgmt-ipv4'] = `10.77.0.${addr}`;
      }
    });
    const ifOf = (n: string, style: boolean) => {
      const i = next.get(n)!;
      next.set(n, i + 1);
      const kind = nodes[n].kind;
      return kind === 'linux' ? `eth${i}` : style ? `Ethernet${i}` : `et${i}`;
    };
    const links = pairs.map(([a, b, extended, mtu]) => {
      const na = names[a % names.length];
      const nb = names[b % names.length];
      const ia = ifOf(na, extended);
      const ib = ifOf(nb, !extended);
      const base = mtu ? { mtu } : {};
      return extended
        ? { type: 'veth', endpoints: [{ node: na, interface: ia }, { node: nb, interface: ib }], ...base }
        : { endpoints: [`${na}:${ia}`, `${nb}:${ib}`], ...base };
    });
    const doc: Record<string, unknown> = {
      name: lab,
      ...(prefix !== undefined ? { prefix } : {}),
      mgmt: { 'ipv4-subnet': '10.77.0.0/24' },
      topology: { nodes, links },
    };
    return { doc, nodeCount: names.length, linkCount: links.length };
  });

function checkInvariants(plan: LabPlan, nodeCount: number, linkCount: number): void {
  expect(plan.nodes).toHaveLength(nodeCount);
  expect(plan.links).toHaveLength(linkCount);
  expect(new Set(plan.nodes.map((n) => n.containerName)).size).toBe(nodeCount);
  const hostIfs = plan.links.flatMap((l) => [l.a.hostIf, l.b.hostIf]);
  expect(new Set(hostIfs).size).toBe(hostIfs.length);
  for (const h of hostIfs) {
    expect(h.length).toBeLessThanOrEqual(15);
    expect(h).toMatch(/^[a-z0-9-]+$/);
  }
  // unique VLAN per host bridge, within 1..4094
  const tags = new Map<string, Set<number>>();
  const add = (host: string, vlan: number) => {
    const s = tags.get(host) ?? new Set<number>();
    expect(s.has(vlan)).toBe(false);
    expect(vlan).toBeGreaterThanOrEqual(1);
    expect(vlan).toBeLessThanOrEqual(4094);
    s.add(vlan);
    tags.set(host, s);
  };
  for (const l of plan.links) {
    if (l.kind === 'local') add(l.host, l.vlan);
    else for (const s of l.sides) add(s.host, s.vlan);
  }
  // every endpoint wired exactly once
  const ends = plan.links.flatMap((l) => [`${l.a.node}/${l.a.ifName}`, `${l.b.node}/${l.b.ifName}`]);
  expect(new Set(ends).size).toBe(ends.length);
  for (const l of plan.links) for (const e of [l.a, l.b]) expect(e.ifName.length).toBeLessThanOrEqual(15);
  // waves respect wait-for
  const wave = new Map(plan.nodes.map((n) => [n.name, n.wave]));
  for (const n of plan.nodes) for (const d of n.spec.waitFor) expect(wave.get(d)!).toBeLessThan(n.wave);
  // mgmt addresses unique
  const addrs = plan.nodes.map((n) => n.mgmtIpv4).filter(Boolean);
  expect(new Set(addrs).size).toBe(addrs.length);
}

describe('property: valid topologies plan with their invariants', () => {
  test('parse → plan on one host', () => {
    fc.assert(
      fc.property(validTopology, ({ doc, nodeCount, linkCount }) => {
        const text = stringify(doc);
        const r = parseTopology(text, { file: '/labs/x/x.clab.yml' });
        expect(r.errors).toEqual([]);
        const plan = planLab(r.topology!, [{ id: 'local' }]);
        checkInvariants(plan, nodeCount, linkCount);
        expect(plan.hosts).toEqual(['local']);
        // same input → same plan
        const again = planLab(parseTopology(text, { file: '/labs/x/x.clab.yml' }).topology!, [{ id: 'local' }]);
        expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
      }),
      { numRuns: 200 },
    );
  });

  test('several hosts with capacity: placement and VXLAN links keep the invariants', () => {
    const hostsArb = fc.uniqueArray(fc.record({ id: fc.stringMatching(/^h[0-9]$/), capacity: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }) }), {
      minLength: 1,
      maxLength: 4,
      selector: (h) => h.id,
    });
    fc.assert(
      fc.property(validTopology, hostsArb, ({ doc, nodeCount, linkCount }, hosts: HostInfo[]) => {
        const r = parseTopology(stringify(doc), { file: '/labs/x/x.clab.yml' });
        const t: Topology = r.topology!;
        const total = hosts.reduce((s, h) => s + (h.capacity ?? Infinity), 0);
        if (total < nodeCount) {
          expect(() => planLab(t, hosts)).toThrow(/capacity exceeded/);
          return;
        }
        const plan = planLab(t, hosts);
        checkInvariants(plan, nodeCount, linkCount);
        const count = new Map<string, number>();
        for (const n of plan.nodes) count.set(n.host, (count.get(n.host) ?? 0) + 1);
        for (const h of hosts) expect(count.get(h.id) ?? 0).toBeLessThanOrEqual(h.capacity ?? Infinity);
        const host = new Map(plan.nodes.map((n) => [n.name, n.host]));
        const vnis = new Set<number>();
        for (const l of plan.links) {
          expect(l.a.host).toBe(host.get(l.a.node));
          expect(l.kind === 'vxlan').toBe(l.a.host !== l.b.host);
          if (l.kind === 'vxlan') {
            expect(vnis.has(l.vni)).toBe(false);
            vnis.add(l.vni);
            expect(l.vni).toBeGreaterThanOrEqual(1);
            expect(l.vni).toBeLessThanOrEqual(16777215);
          }
        }
        expect(JSON.stringify(planLab(structuredClone(t), hosts))).toBe(JSON.stringify(plan));
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: invalid input never throws and yields errors', () => {
  const file = '/labs/x/x.clab.yml';

  test('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseTopology(text, { file });
        noInternal(r);
        expect(Array.isArray(r.errors)).toBe(true);
        if (!r.topology) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  test('arbitrary JSON values as documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const r = parseTopology(stringify(value), { file });
        noInternal(r);
        expect(r.topology === undefined).toBe(r.errors.length > 0);
      }),
      { numRuns: 300 },
    );
  });

  test('valid documents with a field replaced by garbage', () => {
    const garbage = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('a;b', '../..', '$(id)', '-x', 'r9:eth1', 'eth0', '', 'x'.repeat(40)));
    fc.assert(
      fc.property(validTopology, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), garbage, ({ doc }, route, value) => {
        // walk down a random path and replace what is there
        const copy = structuredClone(doc) as Record<string, unknown>;
        let cur: Record<string, unknown> | unknown[] = copy;
        for (let i = 0; i < route.length; i++) {
          const keys = Array.isArray(cur) ? cur.map((_, k) => k) : Object.keys(cur);
          if (keys.length === 0) break;
          const k = keys[route[i] % keys.length];
          const child = (cur as Record<string | number, unknown>)[k];
          if (i === route.length - 1 || child === null || typeof child !== 'object') {
            (cur as Record<string | number, unknown>)[k] = value;
            break;
          }
          cur = child as Record<string, unknown>;
        }
        const r = parseTopology(stringify(copy), { file });
        noInternal(r);
        expect(r.topology === undefined).toBe(r.errors.length > 0);
        if (r.topology) planOrPlanError(r.topology);
      }),
      { numRuns: 500 },
    );
  });

  test('character-level mutations of valid files', () => {
    fc.assert(
      fc.property(validTopology, fc.nat(), fc.nat({ max: 2 }), fc.string({ maxLength: 3 }), ({ doc }, pos, op, s) => {
        const text = stringify(doc);
        const p = pos % (text.length + 1);
        const mutated = op === 0 ? text.slice(0, p) + text.slice(p + 1) : op === 1 ? text.slice(0, p) + s + text.slice(p) : text.slice(0, p) + s + text.slice(p + s.length);
        const r = parseTopology(mutated, { file });
        noInternal(r);
        expect(r.topology === undefined).toBe(r.errors.length > 0);
        if (r.topology) planOrPlanError(r.topology);
      }),
      { numRuns: 500 },
    );
  });

  test('targeted mutations are always reported', () => {
    const mutations: ((d: { topology: { nodes: Record<string, Record<string, unknown>>; links: unknown[] } }) => void)[] = [
      (d) => d.topology.links.push({ endpoints: ['nosuchnode:eth1', `${Object.keys(d.topology.nodes)[0]}:eth99`] }),
      (d) => (Object.values(d.topology.nodes)[0].kind = 'nokia_srlinux'),
      (d) => delete Object.values(d.topology.nodes)[0].image,
      (d) => (d.topology.nodes['bad name'] = { kind: 'linux', image: 'x' }),
      (d) => d.topology.links.push({ type: 'macvlan', endpoint: { node: 'x', interface: 'y' } }),
      (d) => (Object.values(d.topology.nodes)[0]['mgmt-ipv4'] = '192.168.0.1'),
    ];
    fc.assert(
      fc.property(validTopology, fc.integer({ min: 0, max: mutations.length - 1 }), ({ doc }, m) => {
        const copy = structuredClone(doc) as unknown as Parameters<(typeof mutations)[number]>[0];
        mutations[m](copy);
        const r = parseTopology(stringify(copy), { file });
        expect(r.topology).toBeUndefined();
        expect(r.errors.length).toBeGreaterThan(0);
        for (const e of r.errors) expect(e.line).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});

function planOrPlanError(t: Topology): void {
  try {
    planLab(t, [{ id: 'local' }]);
  } catch (err) {
    expect((err as Error).name).toBe('PlanError');
  }
}

/** The validator's own safety net (a caught exception) must never be what produced the errors. */
function noInternal(r: ParseResult): void {
  for (const e of r.errors) expect(e.message).not.toMatch(/^internal error/);
}
