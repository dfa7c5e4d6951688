// End to end on real Temporal, dockerd and OVS: through the API and the CLI's code paths.
import path from 'node:path';
import fs from 'node:fs/promises';
import os from 'node:os';
import { startStack, type TestStack } from '../helpers/stack';
import { deployCommand, destroyCommand, inspectJson, type Out } from '../../cli/commands';
import type { LabView } from '../../cli/api-client';
import { canPing, dockerExec, eventually, labContainers, labHostLinks, labNetworks, labOvsBridges, labOvsPorts } from '../helpers/host-state';

let stack: TestStack;
let dir: string;
const uid = Date.now().toString(36).slice(-5);

beforeAll(async () => {
  stack = await startStack('e2e');
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'archetype-e2e-topo-'));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

function capture(): Out & { text: () => string } {
  const lines: string[] = [];
  return { stdout: (s) => lines.push(s), stderr: (s) => lines.push(s), text: () => lines.join('\n') };
}

async function writeTopo(name: string, body: string): Promise<string> {
  const file = path.join(dir, `${name}.clab.yml`);
  await fs.writeFile(file, body);
  return file;
}

// Four nodes, four links. a–b and c–d use the SAME subnet: if two links leaked into each other,
// a would reach c's address.
const fourNodes = (name: string) => `
name: ${name}
topology:
  kinds:
    linux: { image: archetype/busybox:latest }
  nodes:
    a: { kind: linux }
    b: { kind: linux }
    c: { kind: linux }
    d: { kind: linux }
  links:
    - type: veth
      endpoints:
        - { node: a, interface: eth1, ipv4: 10.0.1.1/24 }
        - { node: b, interface: eth1, ipv4: 10.0.1.2/24 }
    - type: veth
      endpoints:
        - { node: c, interface: eth1, ipv4: 10.0.1.3/24 }
        - { node: d, interface: eth1, ipv4: 10.0.1.4/24 }
    - type: veth
      endpoints:
        - { node: a, interface: eth2, ipv4: 10.0.2.1/24 }
        - { node: c, interface: eth2, ipv4: 10.0.2.2/24 }
    - type: veth
      endpoints:
        - { node: b, interface: eth2, ipv4: 10.0.3.1/24 }
        - { node: d, interface: eth2, ipv4: 10.0.3.2/24 }
`;

/** A TCP connection from `client` to `server` (busybox nc) carrying `text`; a few tries, since the
 * listener needs a moment to start on a loaded machine. Returns what the client received. */
async function tcpMessage(server: string, client: string, address: string, port: number, text: string): Promise<string> {
  let received = '';
  for (let attempt = 0; attempt < 5 && !received.includes(text); attempt++) {
    const listener = dockerExec(server, ['sh', '-c', `echo ${text} | nc -l -p ${port} -w 5`], 15_000);
    await new Promise((r) => setTimeout(r, 300 + attempt * 500));
    received = (await dockerExec(client, ['sh', '-c', `nc -w 3 ${address} ${port} </dev/null`], 10_000)).output;
    await listener;
  }
  return received;
}

async function expectNothingLeft(lab: string) {
  expect(await labContainers(lab)).toEqual([]);
  expect(await labNetworks(lab)).toEqual([]);
  expect(await labOvsPorts(lab)).toEqual([]);
  expect(await labOvsBridges(lab)).toEqual([]);
  expect(await labHostLinks(lab)).toEqual([]);
}

test('a four-node lab deploys through the API, every link carries packets, links do not leak, destroy leaves nothing', async () => {
  const lab = `quad-${uid}`;
  const file = await writeTopo(lab, fourNodes(lab));
  const out = capture();
  expect(await deployCommand(stack.api, file, { wait: true }, out)).toBe(0);
  expect(out.text()).toMatch(/✔ nodes/);
  expect(out.text()).toMatch(/is running/);

  const view = inspectJson(await stack.api.lab(lab));
  expect(view.status).toBe('running');
  expect(view.nodes.map((n) => [n.name, n.state])).toEqual([['a', 'running'], ['b', 'running'], ['c', 'running'], ['d', 'running']]);
  expect(view.nodes.every((n) => n.host === stack.hostId && /^\d+\.\d+\.\d+\.\d+$/.test(n.mgmtIPv4 ?? ''))).toBe(true);
  expect(view.links.every((l) => l.state === 'up')).toBe(true);
  const c = (n: string) => view.nodes.find((x) => x.name === n)!.container;

  // every link carries packets
  expect(await canPing(c('a'), '10.0.1.2')).toBe(true);
  expect(await canPing(c('c'), '10.0.1.4')).toBe(true);
  expect(await canPing(c('a'), '10.0.2.2')).toBe(true);
  expect(await canPing(c('b'), '10.0.3.2')).toBe(true);
  // and TCP, not only ICMP (netdev datapath + offload trap)
  expect(await tcpMessage(c('b'), c('a'), '10.0.1.2', 5555, 'archetype-tcp')).toContain('archetype-tcp');
  // no leak between a–b and c–d (same subnet, different links)
  expect(await canPing(c('a'), '10.0.1.3', 1)).toBe(false);
  expect(await canPing(c('a'), '10.0.1.4', 1)).toBe(false);

  // deploying the same lab again is harmless
  expect(await deployCommand(stack.api, file, { wait: true }, capture())).toBe(0);
  expect(await labContainers(lab)).toHaveLength(4);
  expect(await labOvsPorts(lab)).toHaveLength(8);
  expect(await canPing(c('a'), '10.0.1.2')).toBe(true);

  expect(await destroyCommand(stack.api, lab, { wait: true, remove: true }, capture())).toBe(0);
  await expectNothingLeft(lab);
});

test('a deploy with an image that does not exist fails with that message; destroy cleans everything', async () => {
  const lab = `badimg-${uid}`;
  const file = await writeTopo(lab, `
name: ${lab}
topology:
  nodes:
    ok: { kind: linux, image: archetype/busybox:latest }
    bad: { kind: linux, image: archetype/does-not-exist:1.0 }
  links:
    - endpoints: ["ok:eth1", "bad:eth1"]
`);
  const out = capture();
  expect(await deployCommand(stack.api, file, { wait: true }, out)).toBe(1);
  expect(out.text()).toMatch(/archetype\/does-not-exist:1\.0/);
  const state = await stack.api.lab(lab);
  expect(state.status).toBe('failed');
  expect(state.error?.message).toMatch(/does-not-exist/);
  expect(state.error).toMatchObject({ step: 'images', node: 'bad' });
  expect(state.nodes.find((n) => n.name === 'bad')?.state).toBe('failed');
  expect(await destroyCommand(stack.api, lab, { wait: true, remove: true }, capture())).toBe(0);
  await expectNothingLeft(lab);
});

test('deploy during destroy is refused with a clear message', async () => {
  const lab = `busy-${uid}`;
  const file = await writeTopo(lab, `
name: ${lab}
topology:
  nodes:
    x: { kind: linux, image: archetype/busybox:latest }
`);
  expect(await deployCommand(stack.api, file, { wait: true }, capture())).toBe(0);
  // Hold the destroy open by stopping the host worker: the destroy waits for it.
  await stack.killHostWorker('SIGKILL');
  const op = await stack.api.destroy(lab);
  const refused = await stack.api.deploy(lab).then(() => undefined, (e: Error) => e);
  expect(refused?.message).toMatch(/busy: a destroy is running/);
  await stack.startHostWorker();
  const s = await eventually('destroy', async () => {
    const v: LabView = await stack.api.lab(lab);
    return v.status === 'destroyed' && !v.current ? v : undefined;
  }, 120_000);
  expect(s.recent[0].workflowId).toBe(op.workflowId);
  await stack.api.remove(lab);
  await expectNothingLeft(lab);
});

test('SIGKILL of the host worker in the middle of a deploy: restarted, the lab ends running with no duplicates or strays', async () => {
  const lab = `kill-${uid}`;
  const nodes = Array.from({ length: 6 }, (_, i) => `n${i + 1}`);
  const file = await writeTopo(lab, `
name: ${lab}
topology:
  kinds:
    linux: { image: archetype/busybox:latest }
  nodes:
${nodes.map((n) => `    ${n}: { kind: linux }`).join('\n')}
  links:
${nodes.map((n, i) => `    - endpoints: ["${n}:eth1", "${nodes[(i + 1) % nodes.length]}:eth2"]`).join('\n')}
`);
  const put = await stack.api.putLab({ topology: await fs.readFile(file, 'utf8'), filename: path.basename(file) });
  await stack.api.deploy(put.lab);
  // Kill the worker once some (not all) nodes exist.
  await eventually('first containers', async () => (await labContainers(lab)).length >= 1, 60_000, 50);
  await stack.killHostWorker('SIGKILL');
  expect((await stack.api.lab(lab)).status).toBe('deploying'); // really killed in the middle
  await stack.startHostWorker();
  const state = await eventually('lab running', async () => {
    const v = await stack.api.lab(lab);
    if (v.status === 'failed') throw new Error(`deploy failed: ${v.error?.message}`);
    return v.status === 'running' && !v.current ? v : undefined;
  }, 180_000);
  expect(state.nodes.every((n) => n.state === 'running')).toBe(true);
  expect(await labContainers(lab)).toHaveLength(nodes.length);
  expect(await labOvsPorts(lab)).toHaveLength(nodes.length * 2);
  expect((await labHostLinks(lab)).filter((n) => !n.startsWith('ar-'))).toHaveLength(nodes.length * 2);
  expect(await destroyCommand(stack.api, lab, { wait: true, remove: true }, capture())).toBe(0);
  await expectNothingLeft(lab);
});

test('the FRR example converges: a host at one edge pings the host at the other edge through the routers', async () => {
  // A copy of examples/frr-triangle under its own lab name, so it never meets a lab the embedded stack deployed.
  const lab = `frr-${uid}`;
  const src = path.resolve(__dirname, '..', '..', 'examples', 'frr-triangle');
  const copy = path.join(dir, lab);
  await fs.cp(src, copy, { recursive: true });
  const file = path.join(copy, 'frr-triangle.clab.yml');
  await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/^name: frr-triangle$/m, `name: ${lab}`));
  const out = capture();
  const code = await deployCommand(stack.api, file, { wait: true }, out);
  if (code !== 0) throw new Error(out.text());
  const state = inspectJson(await stack.api.lab(lab));
  const h1 = state.nodes.find((n) => n.name === 'h1')!.container;
  try {
    await eventually('OSPF convergence (h1 → h2)', () => canPing(h1, '10.3.3.10', 1), 120_000, 1000);
    // TCP across three routed hops too
    const h2 = state.nodes.find((n) => n.name === 'h2')!.container;
    expect(await tcpMessage(h2, h1, '10.3.3.10', 5556, 'across-the-triangle')).toContain('across-the-triangle');
    // Redeploying the running lab is harmless: exec commands (`ip addr add`) run once per container.
    const again = capture();
    expect(await deployCommand(stack.api, file, { wait: true }, again)).toBe(0);
    expect(again.text()).not.toMatch(/exec/);
    expect(await canPing(h1, '10.3.3.10', 1)).toBe(true);
  } finally {
    expect(await destroyCommand(stack.api, lab, { wait: true, remove: true }, capture())).toBe(0);
  }
  await expectNothingLeft(lab);
});
