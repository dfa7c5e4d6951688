// Host activities on the real dockerd and Open vSwitch (netdev datapath): busybox containers
// wired by veth pairs into access ports of an OVS bridge. Needs `scripts/images.sh` to have run.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { execa } from 'execa';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createHostActivities } from '../../activities';
import { splitCommand, parseEnvFile, parsePort } from '../../activities/docker/parse';
import { decodeCapabilities } from '../../activities/host/privileges';
import { BUSYBOX, dexec, eventually, hostLinksNamed, labState, linkEnd, mgmtFor, ping, plannedNode, tcpBytes } from '../helpers/docker';

const uid = Date.now().toString(36).slice(-5);
const hostId = `it-${uid}`;
const lab = `itact-${uid}`;
const acts = createHostActivities({ hostId, datapath: 'netdev' });
const octet = 100 + (parseInt(uid, 36) % 100);
const mgmt = mgmtFor(lab, octet);
const bridge = `ait${uid}`;
const mock = new MockActivityEnvironment();
/** Runs an activity with a heartbeat context (MockActivityEnvironment), keeping its types. */
const env = { run: <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> => mock.run(fn, input) as Promise<R> };
const labsToClean = [lab, `${lab}-x`, `${lab}-ovl`];
let tmp: string;

const nodes = {
  a: plannedNode(lab, 'a', {}, `172.29.${octet}.11`),
  b: plannedNode(lab, 'b'),
  c: plannedNode(lab, 'c'),
};
// link1: a:eth1 — b:eth1 on VLAN 10, 10.0.1.0/24. link2: c:eth1 — a:eth2 on VLAN 11; c sits in
// the same subnet as link1 (10.0.1.3/24), so a leak between the VLANs would let c reach b.
const link1 = { linkId: 'a:eth1--b:eth1', vlan: 10, a: linkEnd('a', 'eth1', `v${uid}1a`, '10.0.1.1/24'), b: linkEnd('b', 'eth1', `v${uid}1b`, '10.0.1.2/24', { mac: '02:00:00:00:01:02' }) };
const link2 = { linkId: 'a:eth2--c:eth1', vlan: 11, a: linkEnd('a', 'eth2', `v${uid}2a`, undefined, { ipv6: 'fd00:2::1/64' }), b: linkEnd('c', 'eth1', `v${uid}2b`, '10.0.1.3/24', { ipv6: 'fd00:2::3/64' }) };
const pids: Record<string, number> = {};

function expectFailure(err: unknown, type: string, message: RegExp): void {
  expect(err).toBeInstanceOf(ApplicationFailure);
  const f = err as ApplicationFailure;
  expect(f.type).toBe(type);
  expect(f.nonRetryable).toBe(true);
  expect(f.message).toMatch(message);
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

async function wire(link: typeof link1, end: 'a' | 'b') {
  const e = link[end];
  return env.run(acts.wireLinkEnd, { lab, hostId, bridge, vlan: link.vlan, linkId: link.linkId, end: e, mtu: 1500, pid: pids[e.node] });
}

async function wireAll() {
  return Promise.all([wire(link1, 'a'), wire(link1, 'b'), wire(link2, 'a'), wire(link2, 'b')]);
}

async function deployNodes() {
  const out: Record<string, { containerId: string; created: boolean }> = {};
  for (const n of Object.values(nodes)) {
    out[n.name] = await env.run(acts.createNode, { lab, hostId, node: n, mgmt });
    pids[n.name] = (await env.run(acts.startNode, { lab, node: n.containerName })).pid;
  }
  return out;
}

const ctr = (n: keyof typeof nodes) => nodes[n].containerName;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'archetype-act-'));
  const img = await execa('docker', ['image', 'inspect', BUSYBOX], { reject: false });
  if (img.exitCode !== 0) throw new Error(`${BUSYBOX} missing: run scripts/images.sh first`);
});

afterAll(async () => {
  if (process.env.ARCHETYPE_KEEP_LAB === '1') return; // debugging: leave the lab in place
  for (const l of labsToClean) await acts.removeLabResources({ lab: l, hostId }).catch(() => undefined);
  await execa('docker', ['rm', '-f', `${lab}-foreign`], { reject: false });
  await execa('docker', ['network', 'rm', `${lab}-foreignnet`], { reject: false });
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('pure helpers', () => {
  test('splitCommand follows simple shell quoting, no expansion', () => {
    expect(splitCommand(`sh -c 'echo "a b"; exit 3'`)).toEqual(['sh', '-c', 'echo "a b"; exit 3']);
    expect(splitCommand('a  "b \\"c\\" d"  e\\ f $HOME')).toEqual(['a', 'b "c" d', 'e f', '$HOME']);
    expect(splitCommand("x ''")).toEqual(['x', '']);
    expect(() => splitCommand("echo 'oops")).toThrow(/unterminated/);
  });
  test('parseEnvFile and parsePort', () => {
    expect(parseEnvFile('# c\n\nA=1\nexport B="two words"\nC=x=y\n', 'f')).toEqual({ A: '1', B: 'two words', C: 'x=y' });
    expect(() => parseEnvFile('nonsense\n', 'f')).toThrow(/f:1/);
    expect(parsePort('8080:80')).toEqual({ key: '80/tcp', hostIp: '', hostPort: '8080' });
    expect(parsePort('127.0.0.1:5353:53/udp')).toEqual({ key: '53/udp', hostIp: '127.0.0.1', hostPort: '5353' });
    expect(() => parsePort('80:99999')).toThrow(/invalid port/);
  });
  test('capability masks decode to names', () => {
    const caps = decodeCapabilities('000001fffeffffff');
    expect(caps).toContain('CAP_NET_ADMIN');
    expect(caps).not.toContain('CAP_SYS_RESOURCE');
    expect(caps).toHaveLength(40);
  });
});

describe('images', () => {
  test('a present image is found without a pull', async () => {
    const r = await env.run(acts.ensureImage, { image: BUSYBOX });
    expect(r.pulled).toBe(false);
    expect(r.id).toMatch(/^sha256:/);
  });
  test('an image that is missing and cannot be pulled fails non-retryably with a clear message', async () => {
    const image = `archetype/does-not-exist-${uid}:v1`;
    const err = await failureOf(env.run(acts.ensureImage, { image }));
    expectFailure(err, 'ImageNotFound', new RegExp(`image "${image}" is not present on host ${hostId} and could not be pulled: .+`));
  });
  test('a name with shell metacharacters is refused before any command', async () => {
    const err = await failureOf(env.run(acts.ensureImage, { image: 'busybox;rm -rf /' }));
    expectFailure(err, 'InvalidInput', /invalid image/);
  });
});

describe('a lab on one host', () => {
  test('management network, bridge, nodes and links come up; ping and TCP cross the link', async () => {
    const envFile = path.join(tmp, 'a.env');
    await fs.writeFile(envFile, '# comment\nFROM_FILE=yes\nOVERRIDDEN=file\n');
    nodes.a.spec.envFiles = [envFile];
    nodes.a.spec.env = { OVERRIDDEN: 'topology' };

    expect(await env.run(acts.ensureMgmtNetwork, { lab, hostId, mgmt })).toMatchObject({ created: true });
    expect(await env.run(acts.ensureBridge, { lab, hostId, bridge })).toEqual({ bridge, created: true });
    const { stdout: dp } = await execa('ovs-vsctl', ['get', 'bridge', bridge, 'datapath_type']);
    expect(dp.trim()).toBe('netdev');

    const created = await deployNodes();
    expect(Object.values(created).every((c) => c.created)).toBe(true);

    // Container settings: labels, restart policy, hostname, static management address, env.
    const { stdout } = await execa('docker', ['inspect', ctr('a')]);
    const info = JSON.parse(stdout)[0];
    expect(info.Config.Labels).toMatchObject({ 'archetype.lab': lab, 'archetype.node': 'a', 'archetype.host': hostId, 'archetype.managed': 'true' });
    expect(info.HostConfig.RestartPolicy.Name).toBe('no');
    expect(info.Config.Hostname).toBe('a');
    expect(info.NetworkSettings.Networks[mgmt.network].IPAddress).toBe(`172.29.${octet}.11`);
    expect(info.Config.Env).toEqual(expect.arrayContaining(['FROM_FILE=yes', 'OVERRIDDEN=topology']));
    expect((await dexec(ctr('a'), ['cat', '/proc/sys/net/ipv4/ip_forward'])).output.trim()).toBe('1');

    const wired = await wireAll();
    expect(wired.every((w) => w.created && w.ofport > 0)).toBe(true);

    for (const [l, side] of [[link1, 'a'], [link1, 'b'], [link2, 'a'], [link2, 'b']] as const) {
      const e = l[side];
      expect(await env.run(acts.linkEndStatus, { end: e, pid: pids[e.node], bridge })).toEqual({ hostUp: true, innerUp: true, inOvs: true, ofport: expect.any(Number) });
    }
    const { stdout: tag } = await execa('ovs-vsctl', ['get', 'port', link1.a.hostIf, 'tag']);
    expect(tag.trim()).toBe('10');
    expect((await dexec(ctr('b'), ['cat', '/sys/class/net/eth1/address'])).output.trim()).toBe('02:00:00:00:01:02');
    const { stdout: offload } = await execa('ethtool', ['-k', link1.a.hostIf]);
    expect(offload).toMatch(/tx-checksumming: off/);

    expect(await eventually('ping a → b over link1', () => ping(ctr('a'), '10.0.1.2'))).toBe(true);
    expect(await tcpBytes(ctr('b'), ctr('a'), '10.0.1.2', 5001)).toBe(100_000);
    expect(await eventually('ping6 c → a over link2', () => ping(ctr('c'), 'fd00:2::1'))).toBe(true);
  });

  test('links on different VLANs do not leak into each other', async () => {
    // c (10.0.1.3, VLAN 11) and b (10.0.1.2, VLAN 10) share a subnet but not a VLAN.
    expect(await ping(ctr('c'), '10.0.1.2', 3)).toBe(false);
    expect(await ping(ctr('b'), '10.0.1.3', 2)).toBe(false);
    expect(await ping(ctr('a'), '10.0.1.2')).toBe(true); // and the link itself still works
  });

  test('running every activity again changes nothing and creates no duplicates', async () => {
    const before = await labState(lab);
    expect(await env.run(acts.ensureMgmtNetwork, { lab, hostId, mgmt })).toMatchObject({ created: false });
    expect(await env.run(acts.ensureBridge, { lab, hostId, bridge })).toEqual({ bridge, created: false });
    const oldPids = { ...pids };
    const again = await deployNodes();
    expect(Object.values(again).every((c) => !c.created)).toBe(true);
    expect(pids).toEqual(oldPids);
    const wired = await wireAll();
    expect(wired.map((w) => w.created)).toEqual([false, false, false, false]);
    const after = await labState(lab);
    expect(after).toEqual(before);
    expect(after.containers).toHaveLength(3);
    expect(after.ovsPorts).toHaveLength(5); // 4 link ends + the bridge's own port
    expect(after.veths).toHaveLength(4);
    expect(await ping(ctr('a'), '10.0.1.2')).toBe(true);
  });

  test('after a container restart, re-wiring restores ping and TCP', async () => {
    await execa('docker', ['restart', '-t', '1', ctr('b')]);
    pids.b = (await env.run(acts.startNode, { lab, node: ctr('b') })).pid;
    const stale = await env.run(acts.linkEndStatus, { end: link1.b, pid: pids.b, bridge });
    expect(stale.innerUp).toBe(false);
    expect(stale.hostUp).toBe(false);
    expect(await ping(ctr('a'), '10.0.1.2', 1)).toBe(false);

    const r = await wire(link1, 'b');
    expect(r.created).toBe(true);
    expect(r.repaired?.join(' ')).toMatch(/OVS port/); // the stale port was deleted and added again
    expect((await wire(link1, 'a')).created).toBe(false); // the other end was fine
    expect(await eventually('ping a → b after re-wiring', () => ping(ctr('a'), '10.0.1.2'))).toBe(true);
    expect(await tcpBytes(ctr('b'), ctr('a'), '10.0.1.2', 5002)).toBe(100_000);
  });

  test('a leftover host veth whose peer is not in the container is replaced', async () => {
    // Simulate a crash between creating the pair and moving its peer: the host end exists, unpaired.
    await execa('ovs-vsctl', ['--if-exists', 'del-port', link2.b.hostIf]);
    await execa('ip', ['link', 'del', link2.b.hostIf]); // also removes c:eth1
    await execa('ip', ['link', 'add', link2.b.hostIf, 'type', 'veth', 'peer', 'name', `t${uid}x`]);
    const r = await wire(link2, 'b');
    expect(r.created).toBe(true);
    expect(r.repaired?.join(' ')).toMatch(/leftover host veth/);
    expect(await hostLinksNamed([`t${uid}x`])).toEqual([]);
    expect(await eventually('ping6 c → a after replacing the leftover', () => ping(ctr('c'), 'fd00:2::1'))).toBe(true);
  });

  test('containers get every capability the host has: ip link add works inside', async () => {
    // (This machine's kernel has no dummy or vlan link types: a veth pair proves CAP_NET_ADMIN as well.)
    const r = await dexec(ctr('a'), ['ip', 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']);
    expect(r).toEqual({ exitCode: 0, output: '' });
    expect((await dexec(ctr('a'), ['ip', 'link', 'show', 'probe0'])).exitCode).toBe(0);
    expect((await dexec(ctr('a'), ['sysctl', '-w', 'net.ipv4.conf.all.forwarding=1'])).exitCode).toBe(0);
    const { stdout } = await execa('docker', ['inspect', '-f', '{{.HostConfig.Privileged}} {{json .HostConfig.CapAdd}} {{json .HostConfig.SecurityOpt}}', ctr('a')]);
    const [privileged, caps, secopt] = stdout.trim().split(' ');
    if (privileged === 'false') { // the fallback on this machine (no CAP_SYS_RESOURCE in the bounding set)
      expect(JSON.parse(caps)).toContain('CAP_NET_ADMIN');
      expect(JSON.parse(secopt)).toEqual(['seccomp=unconfined', 'apparmor=unconfined']);
    }
  });

  test('execNode returns output, and a failing command fails naming node, command and output', async () => {
    const ok = await env.run(acts.execNode, { lab, node: ctr('a'), commands: ['echo hello', 'ip -o link show eth1 | wc -l'] });
    expect(ok).toEqual([{ command: 'echo hello', exitCode: 0, output: 'hello\n' }, { command: 'ip -o link show eth1 | wc -l', exitCode: 0, output: '1\n' }]);
    const err = await failureOf(env.run(acts.execNode, { lab, node: ctr('a'), commands: ['echo before', 'echo boom >&2; exit 3'] }));
    expectFailure(err, 'ExecFailed', /node a .*"echo boom >&2; exit 3" exited with code 3:\nboom/s);
  });

  test('listLabContainers shows the nodes with their PIDs', async () => {
    const list = await acts.listLabContainers({ lab });
    expect(list.map((c) => [c.node, c.state, c.pid])).toEqual([['a', 'running', pids.a], ['b', 'running', pids.b], ['c', 'running', pids.c]]);
  });

  test('conflicts fail non-retryably: foreign container name, foreign bridge, different subnet, overlapping pool', async () => {
    await execa('docker', ['create', '--name', `${lab}-foreign`, BUSYBOX]);
    const foreign = plannedNode(lab, 'foreign');
    expectFailure(await failureOf(env.run(acts.createNode, { lab, hostId, node: foreign, mgmt })), 'NameConflict', /already exists .* does not belong to node foreign/);
    expectFailure(await failureOf(env.run(acts.removeNode, { lab, containerName: `${lab}-foreign` })), 'NameConflict', /refusing/);
    expectFailure(await failureOf(env.run(acts.ensureBridge, { lab: `${lab}-x`, hostId, bridge })), 'NameConflict', /belongs to lab/);
    expectFailure(await failureOf(env.run(acts.ensureMgmtNetwork, { lab, hostId, mgmt: { ...mgmt, ipv4Subnet: '172.28.250.0/24', ipv4Gateway: '172.28.250.1' } })),
      'NameConflict', /has subnet/);
    expectFailure(await failureOf(env.run(acts.ensureMgmtNetwork, { lab: `${lab}-ovl`, hostId, mgmt: { ...mgmt, network: `${lab}-ovlnet` } })),
      'InvalidInput', /overlaps.*mgmt\.ipv4-subnet/);
  });

  test('a missing bind source fails non-retryably naming the file, and creates nothing', async () => {
    const node = plannedNode(lab, 'nobind', { binds: [`/nonexistent-${uid}/frr.conf:/etc/frr/frr.conf`] });
    expectFailure(await failureOf(env.run(acts.createNode, { lab, hostId, node, mgmt })), 'InvalidInput', new RegExp(`bind source /nonexistent-${uid}/frr.conf does not exist`));
    expect((await execa('docker', ['ps', '-a', '--filter', `name=${lab}-nobind`, '--format', '{{.Names}}'])).stdout).toBe('');
  });

  test('removeLabResources leaves nothing with the lab mark, and is harmless when run again', async () => {
    const removed = await env.run(acts.removeLabResources, { lab, hostId });
    // Host veths die with their containers' namespaces; any left over would be counted in veths.
    expect(removed).toMatchObject({ containers: 3, networks: 1, ports: 4, bridges: 1 });
    expect(await labState(lab)).toEqual({ containers: [], networks: [], ovsBridges: [], ovsPorts: [], ovsInterfaces: [], veths: [] });
    const hostIfs = [link1.a, link1.b, link2.a, link2.b].map((e) => e.hostIf);
    expect(await hostLinksNamed([...hostIfs, bridge])).toEqual([]);
    expect(await env.run(acts.removeLabResources, { lab, hostId })).toEqual({ containers: 0, networks: 0, ports: 0, bridges: 0, veths: 0 });
    expect(await env.run(acts.removeNode, { lab, containerName: ctr('a') })).toEqual({ removed: false });
    // The foreign container was not touched.
    expect((await execa('docker', ['inspect', `${lab}-foreign`], { reject: false })).exitCode).toBe(0);
  });
});

describe('smokeActivity', () => {
  const smokeObjects = async (token: string) => ({
    containers: (await execa('docker', ['ps', '-a', '--filter', `name=^arch-smoke-${token}$`, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean),
    bridges: (await execa('ovs-vsctl', ['list-br'])).stdout.split('\n').filter((b) => b === `arsmk-${token}`),
  });

  test('holds a labelled container and a marked bridge while heartbeating, then removes both', async () => {
    const token = `t${uid}`;
    const run = env.run(acts.smokeActivity, { token, holdMs: 2500 });
    const during = await eventually('smoke objects to exist', async () => {
      const o = await smokeObjects(token);
      return o.containers.length && o.bridges.length ? o : undefined;
    }, 10_000, 100);
    expect(during).toEqual({ containers: [`arch-smoke-${token}`], bridges: [`arsmk-${token}`] });
    const { stdout } = await execa('ovs-vsctl', ['get', 'bridge', `arsmk-${token}`, 'external_ids:archetype-lab']);
    expect(stdout.trim().replace(/"/g, '')).toBe(`smoke-${token}`);
    expect(await run).toEqual({ container: `arch-smoke-${token}`, bridge: `arsmk-${token}` });
    expect(await smokeObjects(token)).toEqual({ containers: [], bridges: [] });
  });

  test('a retry after a killed attempt reuses what the first one left and cleans it up', async () => {
    const token = `r${uid}`;
    // What an attempt killed mid-hold leaves behind: the container (running) and the bridge.
    const first = createHostActivities({ hostId, datapath: 'netdev' });
    const mock1 = new MockActivityEnvironment();
    const killed = mock1.run(first.smokeActivity, { token, holdMs: 60_000 });
    await eventually('first attempt to create its objects', async () => {
      const o = await smokeObjects(token);
      return o.containers.length && o.bridges.length;
    }, 10_000, 100);
    const { stdout: id1 } = await execa('docker', ['inspect', '-f', '{{.Id}}', `arch-smoke-${token}`]);
    // The retry runs while the first attempt is still "alive" (its worker died without cleaning up).
    const retry = env.run(acts.smokeActivity, { token, holdMs: 500 });
    await new Promise((r) => setTimeout(r, 200));
    const { stdout: id2 } = await execa('docker', ['inspect', '-f', '{{.Id}}', `arch-smoke-${token}`]);
    expect(id2).toBe(id1); // reused, not a duplicate
    expect((await smokeObjects(token)).containers).toHaveLength(1);
    expect(await retry).toEqual({ container: `arch-smoke-${token}`, bridge: `arsmk-${token}` });
    expect(await smokeObjects(token)).toEqual({ containers: [], bridges: [] });
    mock1.cancel();
    await killed.catch(() => undefined);
    expect(await smokeObjects(token)).toEqual({ containers: [], bridges: [] });
  });
});
