// The REST API's contract: located validation errors, raw YAML bodies, the lab-folder rule for
// uploaded topologies, clear 404/409s, OpenAPI docs, metrics. Real Temporal behind it.
import { Client, Connection } from '@temporalio/client';
import { startStack, type TestStack } from '../helpers/stack';
import { temporalAddress } from '../helpers/temporal';

let stack: TestStack;
const uid = Date.now().toString(36).slice(-5);

beforeAll(async () => {
  stack = await startStack('api');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function call(method: string, path: string, body?: string, contentType = 'application/json') {
  const res = await fetch(`${stack.apiUrl}${path}`, { method, body, headers: body === undefined ? {} : { 'content-type': contentType } });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
  return { status: res.status, json, text };
}

test('an invalid topology is refused with every located error, and nothing is created', async () => {
  const topology = `name: bad-${uid}
topology:
  nodes:
    a: { kind: linux }
    b: { kind: nokia_srlinux, image: x }
  links:
    - endpoints: ["a:eth1", "zz:eth1"]
`;
  const r = await call('POST', '/labs', JSON.stringify({ topology }));
  expect(r.status).toBe(400);
  expect(r.json.errors).toHaveLength(3);
  for (const e of r.json.errors) expect(e.text).toMatch(/\.clab\.yml:\d+:\d+: topology\./);
  expect(r.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['topology.nodes.a.image', 'topology.nodes.b.kind']));
  expect((await call('GET', `/labs/bad-${uid}`)).status).toBe(404);
});

test('a raw YAML body creates the lab; the lab reads back with links into the Temporal UI', async () => {
  const name = `raw-${uid}`;
  const r = await call('POST', '/labs', `name: ${name}\ntopology:\n  nodes:\n    a: { kind: linux, image: archetype/busybox:latest }\n`, 'application/yaml');
  expect(r.status).toBe(201);
  const lab = await call('GET', `/labs/${name}`);
  expect(lab.status).toBe(200);
  expect(lab.json.status).toBe('defined');
  expect(lab.json.ui.runs).toContain(encodeURIComponent(`LabName="${name}"`));
  expect((await call('GET', '/labs')).json.labs.map((l: { name: string }) => l.name)).toContain(name);
  // Replacing it is a 200, and removing it works while nothing is deployed.
  expect((await call('POST', '/labs', `name: ${name}\ntopology:\n  nodes:\n    b: { kind: linux, image: archetype/busybox:latest }\n`, 'application/yaml')).status).toBe(200);
  expect((await call('DELETE', `/labs/${name}`)).status).toBe(204);
});

test('an uploaded topology may not bind files from outside its lab folder', async () => {
  const topology = `name: escape-${uid}
topology:
  nodes:
    a:
      kind: linux
      image: archetype/busybox:latest
      binds: ["/etc/shadow:/stolen:ro", "../../other-lab/secret:/x"]
`;
  const r = await call('POST', '/labs', JSON.stringify({ topology }));
  expect(r.status).toBe(400);
  expect(r.json.errors.length).toBe(2);
  expect(r.text).toMatch(/outside/);
});

test('uploaded files land in the lab folder; paths that escape it are refused', async () => {
  const name = `files-${uid}`;
  const topology = `name: ${name}\ntopology:\n  nodes:\n    a: { kind: linux, image: archetype/busybox:latest, binds: ["cfg/a.conf:/etc/a.conf"] }\n`;
  const bad = await call('POST', '/labs', JSON.stringify({ topology, files: { '../x.conf': Buffer.from('x').toString('base64') } }));
  expect(bad.status).toBe(400);
  expect(bad.json.error).toMatch(/relative path inside the lab's folder/);
  const ok = await call('POST', '/labs', JSON.stringify({ topology, files: { 'cfg/a.conf': Buffer.from('hello').toString('base64') } }));
  expect(ok.status).toBe(201);
  expect(ok.json.state.topology.nodes[0].binds[0]).toBe(`${stack.stateDir}/labs/${name}/cfg/a.conf:/etc/a.conf`);
  expect((await call('DELETE', `/labs/${name}`)).status).toBe(204);
});

test('unknown labs are 404, unsafe names 400, and the OpenAPI docs and metrics are served', async () => {
  expect((await call('GET', `/labs/nope-${uid}`)).status).toBe(404);
  expect((await call('POST', `/labs/nope-${uid}/deploy`)).status).toBe(404);
  expect((await call('GET', '/labs/bad;name')).status).toBe(400);
  const spec = await call('GET', '/docs/json');
  expect(spec.status).toBe(200);
  expect(Object.keys(spec.json.paths)).toEqual(expect.arrayContaining(['/labs', '/labs/{name}', '/labs/{name}/deploy', '/labs/{name}/destroy', '/healthz']));
  const metrics = await call('GET', '/metrics');
  expect(metrics.text).toMatch(/nodejs_eventloop_lag_seconds/);
  expect((await call('GET', '/healthz')).json).toEqual({ ok: true });
});

test('a lab whose control worker does not answer makes GET /labs say so, not hang; GET /labs/:name is a 503', async () => {
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection });
  const name = `orphan-${uid}`;
  const handle = await client.workflow.start('labWorkflow', { taskQueue: `nobody-polls-${uid}`, workflowId: `lab:${name}`, args: [{ name }] });
  try {
    const t0 = Date.now();
    const list = await call('GET', '/labs');
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(list.json.labs.find((l: { name: string }) => l.name === name)).toMatchObject({ status: 'unknown', error: expect.stringMatching(/control worker/) });
    const one = await call('GET', `/labs/${name}`);
    expect(one.status).toBe(503);
    expect(one.json.error).toMatch(/is the control worker running/);
  } finally {
    await handle.terminate('test finished');
    await connection.close();
  }
}, 60_000);
