import { formatError, parseTopology } from '../../../lab/parse';
import { FIXTURES, lab, messages, ok, parse, parseFixture } from './helpers';

const alpine = (name: string, extra = '') => `    ${name}:\n      kind: linux\n      image: alpine:3.20\n${extra}`;

describe('fixtures', () => {
  test('linux-basic parses', async () => {
    const r = await parseFixture('linux-basic.clab.yml');
    expect(r.errors).toEqual([]);
    expect(r.topology!.nodes.map((n) => n.name)).toEqual(['h1', 'h2']);
    expect(r.topology!.links).toEqual([
      { type: 'veth', endpoints: [{ node: 'h1', interface: 'eth1' }, { node: 'h2', interface: 'eth1' }], line: 17 },
    ]);
    expect(r.topology!.file).toBe(`${FIXTURES}/linux-basic.clab.yml`);
    expect(r.topology!.dir).toBe(FIXTURES);
  });

  test('frr-triangle: inheritance, relative paths, both link forms, wait-for', async () => {
    const r = await parseFixture('frr-triangle/frr-triangle.clab.yml');
    expect(r.errors).toEqual([]);
    const t = r.topology!;
    const dir = `${FIXTURES}/frr-triangle`;
    expect(t.prefix).toBe('__lab-name');
    expect(t.mgmt).toEqual({ network: 'frr-mgmt', ipv4Subnet: '172.30.30.0/24' });
    const [r1, r2, r3] = t.nodes;
    expect(r1.image).toBe('quay.io/frrouting/frr:10.1.0');
    expect(r1.binds).toEqual([`${dir}/configs/daemons:/etc/frr/daemons:ro`, `${dir}/configs/r1/frr.conf:/etc/frr/frr.conf`]);
    expect(r1.envFiles).toEqual([`${dir}/configs/common.env`]);
    expect(r1.env).toEqual({ TZ: 'Europe/Paris' }); // group beats defaults
    expect(r1.labels).toEqual({ lab: 'frr-triangle', role: 'core' });
    expect(r1.mgmtIpv4).toBe('172.30.30.11');
    expect(r3.env).toEqual({ TZ: 'UTC' });
    expect(r3.startupConfig).toBe(`${dir}/configs/r3/frr.conf`);
    expect(r3.binds).toContain(`${FIXTURES}/shared/scripts:/scripts:ro`);
    expect(r2.waitFor).toEqual(['r1']);
    expect(r3.waitFor).toEqual(['r2']);
    expect(t.links[0].mtu).toBe(1500);
    expect(t.links[2].endpoints).toEqual([
      { node: 'r3', interface: 'eth2', mac: '02:00:00:00:03:02', ipv4: '10.0.13.3/24' },
      { node: 'r1', interface: 'eth2', ipv6: '2001:db8:13::1/64' },
    ]);
  });

  test('cEOS lab: alias, kind section by alias, every interface form, default env', async () => {
    const r = await parseFixture('ceos.clab.yml');
    expect(r.errors).toEqual([]);
    const [c1, c2] = r.topology!.nodes;
    expect(c1.kind).toBe('ceos');
    expect(c1.image).toBe('ceos:4.32.0F'); // from topology.kinds.arista_ceos
    expect(c2.image).toBe('ceos:4.31.2F');
    expect(c1.env.CEOS).toBe('1');
    expect(c1.cmd).toMatch(/^\/sbin\/init/);
  });

  test('qemu VM lab validates; relative disk image resolves', async () => {
    const r = await parseFixture('qemu-vm.clab.yml');
    expect(r.errors).toEqual([]);
    const vm = r.topology!.nodes.find((n) => n.name === 'vm1')!;
    expect(vm.kind).toBe('qemu');
    expect(vm.image).toBe(`${FIXTURES}/images/debian-12.qcow2`);
    expect(vm.cpu).toBe(2);
    expect(vm.memory).toBe(2 * 1024 ** 3);
  });

  test('unsupported kind names the kind and lists the supported ones', async () => {
    const r = await parseFixture('unsupported-kind.clab.yml');
    expect(r.topology).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 7, col: 13, path: 'topology.nodes.srl1.kind' });
    expect(r.errors[0].message).toMatch(/"nokia_srlinux".*supported kinds: linux, ceos \(alias arista_ceos\), qemu/);
  });

  test('unsupported link type is refused clearly', async () => {
    const r = await parseFixture('unsupported-link-type.clab.yml');
    expect(r.errors.map((e) => [e.line, e.path, e.message])).toEqual([
      [10, 'topology.links[0].type', 'link type "macvlan" is not supported yet; supported link types: veth'],
    ]);
  });

  test('five mistakes → five located errors', async () => {
    const r = await parseFixture('five-mistakes.clab.yml');
    expect(r.errors).toHaveLength(5);
    for (const e of r.errors) expect(e.line).toBeGreaterThan(0);
    const text = r.errors.map(formatError);
    expect(text[0]).toMatch(/five-mistakes\.clab\.yml:10:7: topology\.nodes\.r2\.image: missing image/);
    expect(text).toContainEqual(expect.stringContaining('unknown node "r9" in endpoint "r9:eth1"; nodes are: r1, r2, r3'));
  });
});

describe('inheritance (node ← group ← kind ← defaults)', () => {
  const text = `
name: inh
topology:
  defaults:
    kind: linux
    image: def:1
    env: {A: d, B: d, C: d, D: d}
    labels: {l: d}
    binds: [/d:/x, /d2:/only-default]
    exec: [from-defaults]
    ports: ["1000:1000"]
    cmd: def-cmd
    user: "0"
  kinds:
    linux:
      image: kind:1
      env: {B: k, C: k, D: k}
      binds: [/k:/x]
      exec: [from-kind]
      cmd: kind-cmd
  groups:
    g:
      image: group:1
      env: {C: g, D: g}
      labels: {l: g}
      exec: [from-group]
      ports: ["2000:2000"]
  nodes:
    n1:
      group: g
      env: {D: n}
      exec: [from-node]
    n2: {}
    n3:
      image: node:1
      cpu: 0.5
      memory: 512Mb
`;
  const t = ok(text);
  const [n1, n2, n3] = t.nodes;

  test('scalars: most specific level wins', () => {
    expect(n1.image).toBe('group:1');
    expect(n2.image).toBe('kind:1');
    expect(n3.image).toBe('node:1');
    expect(n1.cmd).toBe('kind-cmd');
    expect(n1.user).toBe('0');
    expect(n1.kind).toBe('linux');
    expect(n1.group).toBe('g');
  });
  test('maps merge with the most specific value winning', () => {
    expect(n1.env).toEqual({ A: 'd', B: 'k', C: 'g', D: 'n' });
    expect(n2.env).toEqual({ A: 'd', B: 'k', C: 'k', D: 'k' });
    expect(n1.labels).toEqual({ l: 'g' });
  });
  test('binds merge by container path; exec concatenates; ports take the first level that sets them', () => {
    expect(n1.binds.sort()).toEqual(['/d2:/only-default', '/k:/x']);
    expect(n1.exec).toEqual(['from-defaults', 'from-kind', 'from-group', 'from-node']);
    expect(n1.ports).toEqual(['2000:2000']);
    expect(n2.ports).toEqual(['1000:1000']);
  });
  test('cpu and memory', () => {
    expect(n3.cpu).toBe(0.5);
    expect(n3.memory).toBe(512 * 1024 ** 2);
  });
  test('kind can come from the group', () => {
    const t2 = ok(`name: x\ntopology:\n  groups:\n    g: {kind: linux, image: a:1}\n  nodes:\n    n1: {group: g}\n`);
    expect(t2.nodes[0]).toMatchObject({ kind: 'linux', image: 'a:1' });
  });
  test('YAML anchors and merge keys work', () => {
    const t2 = ok(`name: x\nbase: &base {kind: linux, image: a:1}\ntopology:\n  nodes:\n    n1:\n      <<: *base\n      image: b:2\n    n2: *base\n`.replace('base: &base {kind: linux, image: a:1}\n', '') .replace('topology:\n', 'topology:\n  defaults: &base {kind: linux, image: a:1}\n'));
    expect(t2.nodes.map((n) => n.image)).toEqual(['b:2', 'a:1']);
  });
  test('archetype.host label pins a node', () => {
    const t2 = ok(lab(alpine('n1', '      labels: {archetype.host: h2}\n')));
    expect(t2.nodes[0].host).toBe('h2');
  });
  test('node fields round trip', () => {
    const t2 = ok(
      lab(
        alpine(
          'n1',
          '      entrypoint: /bin/sh\n      restart-policy: always\n      network-mode: none\n      mgmt-ipv6: 2001:db8::5\n      ports: [8080, "127.0.0.1:2222:22/tcp"]\n',
        ),
      ),
    );
    expect(t2.nodes[0]).toMatchObject({
      entrypoint: '/bin/sh',
      restartPolicy: 'always',
      networkMode: 'none',
      mgmtIpv6: '2001:db8::5',
      ports: ['8080', '127.0.0.1:2222:22/tcp'],
    });
  });
  test('inline startup-config is kept inline', () => {
    const t2 = ok(lab(alpine('n1', '      startup-config: |\n        hostname n1\n        !\n')));
    expect(t2.nodes[0].startupConfigInline).toBe('hostname n1\n!\n');
    expect(t2.nodes[0].startupConfig).toBeUndefined();
  });
});

describe('links', () => {
  const nodes = alpine('a') + alpine('b');
  test('brief form with default and explicit MTU', () => {
    const t = ok(lab(nodes, '    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth2", "b:eth2"]\n      mtu: 1500'));
    expect(t.links[0].mtu).toBeUndefined();
    expect(t.links[1].mtu).toBe(1500);
  });
  test('extended veth form', () => {
    const t = ok(lab(nodes, '    - type: veth\n      endpoints:\n        - {node: a, interface: eth1, mac: "02:AA:00:00:00:01"}\n        - {node: b, interface: eth1, ipv4: 10.0.0.2/24}'));
    expect(t.links[0].endpoints).toEqual([
      { node: 'a', interface: 'eth1', mac: '02:aa:00:00:00:01' },
      { node: 'b', interface: 'eth1', ipv4: '10.0.0.2/24' },
    ]);
  });
  test('unknown node lists the nodes', () => {
    expect(messages(lab(nodes, '    - endpoints: ["a:eth1", "r9:eth1"]'))).toEqual([
      'topology.links[0].endpoints[1]: unknown node "r9" in endpoint "r9:eth1"; nodes are: a, b',
    ]);
  });
  test('interface used twice (also across forms, and eth1/et1 on cEOS)', () => {
    expect(messages(lab(nodes, '    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth1", "b:eth2"]'))).toEqual([
      'topology.links[1].endpoints[0]: interface a:eth1 is already used by topology.links[0]; each interface can be in only one link',
    ]);
    const ceos = '    c:\n      kind: ceos\n      image: ceos:1\n';
    expect(messages(lab(nodes + ceos, '    - endpoints: ["c:eth1", "a:eth1"]\n    - endpoints: ["c:et1", "b:eth1"]'))[0]).toMatch(/interface c:et1 is already used/);
  });
  test('interface names invalid for the kind or too long', () => {
    const ceos = '    c:\n      kind: ceos\n      image: ceos:1\n';
    const m = messages(
      lab(nodes + ceos, '    - endpoints: ["a:eth0", "b:abcdefghijklmnop"]\n    - endpoints: ["c:ge-0/0/0", "a:eth1"]\n    - endpoints: ["c:eth0", "b:eth2"]'),
    );
    expect(m).toHaveLength(4);
    expect(m[0]).toMatch(/interface "eth0" of node "a" eth0 is the management interface/);
    expect(m[1]).toMatch(/interface "abcdefghijklmnop" of node "b" is 16 characters long; Linux allows at most 15/);
    expect(m[2]).toMatch(/interface "ge-0\/0\/0" of node "c" is not a cEOS interface name; expected ethN, etN or EthernetN/);
    expect(m[3]).toMatch(/cEOS interfaces are numbered from 1/);
  });
  test('unsupported and unknown link types; special endpoints', () => {
    expect(messages(lab(nodes, '    - type: vxlan\n      endpoint: {node: a, interface: eth1}\n      remote: 1.2.3.4'))).toEqual([
      'topology.links[0].type: link type "vxlan" is not supported yet; supported link types: veth',
    ]);
    expect(messages(lab(nodes, '    - type: wormhole\n      endpoints: []'))[0]).toMatch(/unknown link type "wormhole"; expected one of: veth, mgmt-net/);
    expect(messages(lab(nodes, '    - endpoints: ["a:eth1", "host:veth-a"]'))[0]).toMatch(/special "host" endpoint, which Archetype does not support yet/);
  });
  test('malformed links', () => {
    const m = messages(
      lab(nodes, '    - endpoints: ["a:eth1"]\n    - endpoints: ["a-eth1", "b:eth1"]\n    - {mtu: 1500}\n    - endpoints: ["a:eth3", "b:eth3"]\n      mtu: big\n    - endpoints: [{node: a, interface: eth4}, "b:eth4"]\n    - "a:eth1"'),
    );
    expect(m).toEqual([
      'topology.links[0].endpoints: a veth link needs exactly 2 endpoints, got 1',
      'topology.links[1].endpoints[0]: endpoint "a-eth1" is malformed; expected "node:interface"',
      'topology.links[2].endpoints: missing endpoints; expected two endpoints such as ["r1:eth1", "r2:eth1"]',
      'topology.links[3].mtu: expected an MTU between 68 and 65535, got the string "big"',
      'topology.links[4].endpoints[0]: expected "node:interface", got a mapping (endpoint objects need the extended form with "type: veth")',
      'topology.links[5]: expected a link mapping with "endpoints", got the string "a:eth1"',
    ]);
  });
  test('extended endpoint field errors', () => {
    const m = messages(lab(nodes, '    - type: veth\n      endpoints:\n        - {node: a, interface: eth1, mac: "01:00:5e:00:00:01"}\n        - {node: b, ipv4: 10.0.0.300/24}'));
    expect(m).toEqual([
      'topology.links[0].endpoints[0].mac: 01:00:5e:00:00:01 is a multicast address; expected a unicast MAC',
      'topology.links[0].endpoints[1].interface: missing interface; expected an interface name such as eth1',
    ]);
  });
});

describe('names that could inject or escape', () => {
  test.each([';', '$', '`', '/', '..', ' ', '\t'])('lab name with %j is refused', (bad) => {
    const m = messages(`name: ${JSON.stringify(`lab${bad}x`)}\ntopology:\n  nodes:\n${alpine('n1')}`);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^name: lab name ".*" must not/);
  });
  test('leading dash', () => {
    expect(messages(`name: -rf\ntopology:\n  nodes:\n${alpine('n1')}`)[0]).toMatch(/must not start with "-"/);
  });
  test.each(['"a;b"', '"$(x)"', '"`id`"', '"../x"', '"a b"', '"-x"', '"a/b"'])('node name %s is refused', (bad) => {
    const m = messages(lab(alpine(bad)));
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^topology\.nodes\..*: node name ".*" must not/);
  });
  test.each(['e;th1', 'e$th', 'a/b', '..x', '-eth1', 'e th'])('interface name %j is refused', (bad) => {
    const m = messages(lab(alpine('a') + alpine('b'), `    - endpoints: [${JSON.stringify(`a:${bad}`)}, "b:eth1"]`));
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/interface ".*" of node "a" must not/);
  });
  test('reserved node names', () => {
    expect(messages(lab(alpine('host')))[0]).toMatch(/reserved/);
  });
  test('prefix and network names', () => {
    expect(messages(`name: t\nprefix: "a;b"\nmgmt: {network: "x y"}\ntopology:\n  nodes:\n${alpine('n1')}`)).toEqual([
      'prefix: prefix "a;b" must not contain ";"; allowed characters are letters, digits, "_", "." and "-"',
      'mgmt.network: network name "x y" must not contain whitespace',
    ]);
  });
});

describe('structure and types', () => {
  test('duplicate node names', () => {
    const r = parse(lab(alpine('n1') + alpine('n1')));
    expect(r.errors.map((e) => [e.line, e.path, e.message])).toEqual([[7, 'topology.nodes.n1', 'duplicate node name "n1"; each node name may appear only once']]);
  });
  test('wrong types everywhere are each reported', () => {
    const m = messages(
      lab(
        '    n1:\n      kind: linux\n      image: [a]\n      env: [A=1]\n      cpu: lots\n      memory: much\n      binds: /a:/b\n      labels: x\n      exec: [1, [2]]\n      network-mode: container:n2\n      restart-policy: sometimes',
      ),
    );
    expect(m).toEqual([
      'topology.nodes.n1.image: expected an image reference, got a list',
      'topology.nodes.n1.env: expected a mapping of environment variables, got a list',
      'topology.nodes.n1.cpu: expected a positive number of CPUs, got the string "lots"',
      'topology.nodes.n1.memory: expected a memory size such as 512Mb, 2Gb or a number of bytes, got the string "much"',
      'topology.nodes.n1.binds: expected a list of bind strings "src:dst[:options]", got the string "/a:/b"',
      'topology.nodes.n1.labels: expected a mapping of labels, got the string "x"',
      'topology.nodes.n1.exec[0]: expected commands, got number 1',
      'topology.nodes.n1.exec[1]: expected commands, got a list',
      'topology.nodes.n1.network-mode: network-mode "container:n2" (sharing another container\'s namespace) is not supported yet; expected bridge, host or none',
      'topology.nodes.n1.restart-policy: restart-policy "sometimes" is invalid; expected no, always, unless-stopped or on-failure',
    ]); // and no extra "missing image": the invalid one was reported
  });
  test('missing pieces point at the parent', () => {
    const r = parse('name: t\ntopology:\n  nodes:\n    n1:\n      image: a:1\n');
    expect(r.errors).toEqual([
      { file: '/labs/t/t.clab.yml', line: 5, col: 7, path: 'topology.nodes.n1.kind', message: 'missing kind; set "kind" on the node, its group or topology.defaults (supported: linux, ceos, qemu)' },
    ]);
    expect(messages('topology: {nodes: {}}')).toEqual([
      'name: missing lab name; expected a top-level "name: <lab>"',
      'topology.nodes: the lab has no nodes; expected at least one',
    ]);
    expect(messages('name: t\n')).toEqual(['topology: missing "topology"; expected a mapping with nodes (and links)']);
  });
  test('unknown fields get a suggestion; ignored containerlab fields only warn', () => {
    const r = parse(lab(alpine('n1', '      imgae: x\n      startup-delay: 3\n')));
    expect(r.errors.map((e) => e.message)).toEqual(['unknown field "imgae" in a node; did you mean "image"?']);
    expect(r.warnings!.map((e) => e.message)).toEqual(['containerlab field "startup-delay" is accepted but ignored by Archetype']);
  });
  test('unknown group', () => {
    expect(messages(lab(alpine('n1', '      group: spine\n')))).toEqual(['topology.nodes.n1.group: unknown group "spine"; topology.groups defines none']);
  });
  test('unknown kind that containerlab does not know either', () => {
    expect(messages(lab('    n1:\n      kind: toaster\n      image: x'))).toEqual([
      'topology.nodes.n1.kind: unknown kind "toaster"; supported kinds: linux, ceos (alias arista_ceos), qemu',
    ]);
  });
  test('bridge and host kinds are known but unsupported', () => {
    expect(messages(lab('    br1:\n      kind: bridge'))[0]).toMatch(/kind "bridge" is a containerlab kind that Archetype does not support yet/);
  });
  test("containerlab's frr kind is known but not deployable yet (FRR runs as kind linux with an FRR image)", () => {
    expect(messages(lab('    r1:\n      kind: frr\n      image: quay.io/frrouting/frr:10.2.1'))[0]).toMatch(/kind "frr" is a containerlab kind that Archetype does not support yet/);
  });
});

describe('wait-for', () => {
  test('unknown node, self and cycle', () => {
    expect(messages(lab(alpine('a', '      wait-for: [zz]\n')))).toEqual(['topology.nodes.a.wait-for[0]: wait-for names unknown node "zz"; nodes are: a']);
    expect(messages(lab(alpine('a', '      wait-for: [a]\n')))).toEqual(['topology.nodes.a.wait-for[0]: node "a" cannot wait for itself']);
    const m = messages(lab(alpine('a', '      wait-for: [b]\n') + alpine('b', '      stages:\n        create:\n          wait-for: [{node: a, stage: healthy}]\n')));
    expect(m).toEqual(['topology.nodes.a.wait-for[0]: wait-for dependencies form a cycle: a → b → a; creation order must be acyclic']);
  });
  test('bad stage', () => {
    expect(messages(lab(alpine('a') + alpine('b', '      stages:\n        boot:\n          wait-for: [a]\n')))[0]).toMatch(/unknown stage "boot"/);
  });
});

describe('management addresses', () => {
  const mk = (mgmt: string, nodes: string) => `name: t\nmgmt: ${mgmt}\ntopology:\n  nodes:\n${nodes}`;
  test('static addresses must be inside, not the gateway, not duplicated', () => {
    const m = messages(
      mk('{ipv4-subnet: 10.9.0.0/24}', alpine('a', '      mgmt-ipv4: 10.9.1.5\n') + alpine('b', '      mgmt-ipv4: 10.9.0.1\n') + alpine('c', '      mgmt-ipv4: 10.9.0.7\n') + alpine('d', '      mgmt-ipv4: 10.9.0.7\n')),
    );
    expect(m).toEqual([
      'topology.nodes.a.mgmt-ipv4: 10.9.1.5 is not a host address of the management subnet 10.9.0.0/24',
      'topology.nodes.b.mgmt-ipv4: 10.9.0.1 is the management gateway; choose another address',
      'topology.nodes.d.mgmt-ipv4: 10.9.0.7 is already used by node "c"',
    ]);
  });
  test('subnet too small, malformed or with host bits', () => {
    expect(messages(mk('{ipv4-subnet: 10.9.0.0/30}', alpine('a') + alpine('b')))).toEqual([
      'mgmt.ipv4-subnet: management subnet 10.9.0.0/30 is too small for 2 nodes plus the gateway',
    ]);
    expect(messages(mk('{ipv4-subnet: 10.9.0.1/24}', alpine('a')))[0]).toMatch(/host bits set; expected the network address 10\.9\.0\.0\/24/);
    expect(messages(mk('{ipv4-subnet: banana}', alpine('a')))[0]).toMatch(/is not an IPv4 subnet/);
  });
});

describe('paths', () => {
  const api = { kind: 'api' as const, labDir: '/labs/t', allowedRoots: ['/srv/shared'] };
  test('relative paths resolve against the topology folder', () => {
    const t = ok(lab(alpine('a', '      binds: [cfg/a.conf:/etc/a.conf, ./b:/b:ro, /abs:/abs]\n      startup-config: ../t/cfg/startup\n      env-files: [x.env]\n')));
    expect(t.nodes[0].binds).toEqual(['/labs/t/cfg/a.conf:/etc/a.conf', '/labs/t/b:/b:ro', '/abs:/abs']);
    expect(t.nodes[0].startupConfig).toBe('/labs/t/cfg/startup');
    expect(t.nodes[0].envFiles).toEqual(['/labs/t/x.env']);
  });
  test('API topologies may only reference files inside the lab folder or allowed roots', () => {
    expect(() => ok(lab(alpine('a', '      binds: [cfg:/cfg, /srv/shared/x:/x]\n')), api)).not.toThrow();
    const m = messages(lab(alpine('a', '      binds: [../other/secret:/s, /etc/shadow:/s2]\n      startup-config: /root/cfg\n      env-files: [../../x.env]\n')), api);
    expect(m).toHaveLength(4);
    expect(m[0]).toMatch(/^topology\.nodes\.a\.binds\[0\]: bind source "\.\.\/other\/secret" resolves to \/labs\/other\/secret, outside the lab folder \/labs\/t/);
    expect(m[1]).toMatch(/binds\[1\]: bind source "\/etc\/shadow"/);
    expect(m[2]).toMatch(/startup-config: startup-config "\/root\/cfg"/);
    expect(m[3]).toMatch(/env-files\[0\]: env-file "\.\.\/\.\.\/x\.env"/);
    // the same file from the operator's own disk is fine
    expect(messages(lab(alpine('a', '      binds: [/etc/shadow:/s2]\n')))).toEqual([]);
  });
  test('malformed binds', () => {
    expect(messages(lab(alpine('a', '      binds: [/only, /a:relative, "/a:/b:r o", "~/x:/x"]\n')))).toEqual([
      'topology.nodes.a.binds[0]: bind "/only" is malformed; expected "host-path:container-path[:options]"',
      'topology.nodes.a.binds[1]: bind "/a:relative": the container path "relative" must be absolute',
      'topology.nodes.a.binds[2]: bind "/a:/b:r o": options "r o" are invalid; expected e.g. ro, rw, z',
      'topology.nodes.a.binds[3]: bind source "~/x" uses "~", which Archetype does not expand; use an absolute path or one relative to the topology file',
    ]);
  });
});

describe('never throws', () => {
  test.each([
    '', '   ', '42', '[]', '- a\n- b', 'null', '~', ':::', 'name: [', '\u0000\u0001\u0002', 'a: b\n---\nc: d', '{{{{', 'name: t\ntopology: 5',
    'name: t\ntopology:\n  nodes: [a, b]', 'name: t\ntopology:\n  nodes:\n    a: 5\n  links: {a: 1}', 'name: {a: 1}\ntopology: {nodes: {a: {kind: [x]}}}',
    'name: t\ntopology:\n  nodes:\n    ? [a]\n    : {}', 'x: &a [*a]', 'name: t\ntopology:\n  nodes:\n    n: {<<: 5}', 'name: t\ntopology:\n  defaults: []\n  kinds: 3\n  groups: [x]\n  nodes: {n: null}',
  ])('input %j gives errors, not exceptions', (text) => {
    const r = parseTopology(text, { file: '/x/y.yml' });
    expect(r.topology).toBeUndefined();
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) expect(typeof formatError(e)).toBe('string');
  });
  test('non-string input and odd options', () => {
    expect(parseTopology(undefined as unknown as string, undefined as unknown as { file: string }).errors.length).toBeGreaterThan(0);
  });
});

test('formatError', () => {
  expect(formatError({ file: '/a.yml', line: 3, col: 5, path: 'topology.nodes.r1.image', message: 'bad' })).toBe('/a.yml:3:5: topology.nodes.r1.image: bad');
  expect(formatError({ file: '/a.yml', line: 0, col: 0, path: 'plan', message: 'bad' })).toBe('/a.yml: plan: bad');
});
