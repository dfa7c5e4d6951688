// Workflow-branch tests: the real lab/deploy/destroy workflows on a real Temporal server, with an
// in-memory fake host (mocked activities are for these tests only). Also records the histories the
// replay test runs against (ARCHETYPE_RECORD_HISTORIES=1).
import path from 'node:path';
import fs from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseTopology } from '../../lab/parse';
import { hostTaskQueue } from '../../lab/queues';
import { deployUpdate, destroyUpdate, labWorkflowId, setTopologyUpdate, stateQuery, type LabState } from '../../workflows/defs';
import { testEnv, workflowBundle } from '../helpers/temporal';
import { fakeHost, type FakeHostOptions } from '../helpers/fake-host';

const RECORD = process.env.ARCHETYPE_RECORD_HISTORIES === '1';
const HISTORIES = path.join(__dirname, '..', 'histories');

const topoText = (name: string, image = 'archetype/busybox:latest') => `
name: ${name}
topology:
  nodes:
    a: { kind: linux, image: ${image}, exec: ["ip link"] }
    b: { kind: linux, image: archetype/busybox:latest }
    c: { kind: linux, image: archetype/busybox:latest, wait-for: [a] }
  links:
    - endpoints: ["a:eth1", "b:eth1"]
    - endpoints: ["b:eth2", "c:eth1"]
`;

function topology(name: string, image?: string) {
  const r = parseTopology(topoText(name, image), { file: `/labs/${name}/${name}.clab.yml` });
  if (!r.topology) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.topology;
}

let env: TestWorkflowEnvironment;
let client: Client;
const uid = Date.now().toString(36);
const hostId = `wf-${uid}`;

beforeAll(async () => {
  env = await testEnv();
  client = env.client;
});
afterAll(async () => {
  // These labs' workers are gone: end their workflows so nothing else on this server waits on them.
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'labWorkflow' AND ExecutionStatus = 'Running'` })) {
    if (wf.workflowId.startsWith('lab:wf-') && wf.workflowId.endsWith(uid)) await client.workflow.getHandle(wf.workflowId).terminate('test finished');
  }
  await env?.teardown();
});

async function withWorkers<T>(hostOpts: FakeHostOptions, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `control-${uid}-${Math.random().toString(36).slice(2, 8)}`;
  const host = fakeHost(hostId, hostOpts);
  const control = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle() });
  const hostWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: hostTaskQueue(hostId), activities: host.acts });
  return control.runUntil(hostWorker.runUntil(fn(taskQueue)));
}

async function createLab(taskQueue: string, name: string, image?: string, historyLimit?: number) {
  const startWorkflowOperation = new WithStartWorkflowOperation('labWorkflow', {
    workflowId: labWorkflowId(name), taskQueue, args: [{ name, historyLimit }], workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await client.workflow.executeUpdateWithStart(setTopologyUpdate, { args: [{ topology: topology(name, image), hosts: [{ id: hostId }] }], startWorkflowOperation });
  return client.workflow.getHandle(labWorkflowId(name));
}

async function waitFor(handle: { query: (q: typeof stateQuery) => Promise<LabState> }, pred: (s: LabState) => boolean, ms = 60_000): Promise<LabState> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await handle.query(stateQuery);
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out; last state: ${JSON.stringify({ status: s.status, error: s.error, current: s.current })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function saveHistory(workflowId: string, file: string) {
  if (!RECORD) return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await fs.mkdir(HISTORIES, { recursive: true });
  await fs.writeFile(path.join(HISTORIES, file), historyToJSON(history));
  // Replay needs the workflow id (the lab workflow derives child ids from it).
  const manifestPath = path.join(HISTORIES, 'manifest.json');
  const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8').catch(() => '{}')) as Record<string, string>;
  manifest[file] = workflowId;
  await fs.writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

test('deploy brings every node to running and every link up; destroy removes them', async () => {
  await withWorkers({}, async (tq) => {
    const name = `wf-ok-${uid}`;
    const lab = await createLab(tq, name);
    const op = await lab.executeUpdate(deployUpdate, { args: [{}] });
    expect(op.joined).toBe(false);
    const again = await lab.executeUpdate(deployUpdate, { args: [{}] });
    expect(again.joined || again.workflowId !== op.workflowId).toBe(true); // joins while running, or a harmless redeploy

    const running = await waitFor(lab, (s) => s.status === 'running' && !s.current);
    expect(running.nodes.map((n) => [n.name, n.state])).toEqual([['a', 'running'], ['b', 'running'], ['c', 'running']]);
    expect(running.links.every((l) => l.state === 'up')).toBe(true);
    expect(running.recent[0].steps.map((s) => s.step)).toEqual(['plan', 'images', 'network', 'nodes', 'links', 'exec', 'verify']);

    // The child run is what the Temporal UI shows when filtered by lab (visibility is eventually consistent).
    const deadline = Date.now() + 10_000;
    let runs: string[] = [];
    while (!runs.includes(op.workflowId) && Date.now() < deadline) {
      runs = [];
      for await (const wf of client.workflow.list({ query: `LabName = "${name}" AND Operation = "deploy"` })) runs.push(wf.workflowId);
      if (!runs.includes(op.workflowId)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(runs).toContain(op.workflowId);

    const d = await lab.executeUpdate(destroyUpdate);
    const destroyed = await waitFor(lab, (s) => s.status === 'destroyed' && !s.current);
    expect(destroyed.nodes.every((n) => n.state === 'removed')).toBe(true);
    await saveHistory(op.workflowId, 'deploy.json');
    await saveHistory(d.workflowId, 'destroy.json');
    await saveHistory(labWorkflowId(name), 'lab.json');
  });
});

test('a deploy while a destroy runs is refused with a clear message', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => { release = r; });
  await withWorkers({ holdDestroy: hold }, async (tq) => {
    const name = `wf-busy-${uid}`;
    const lab = await createLab(tq, name);
    await lab.executeUpdate(destroyUpdate);
    await expect(lab.executeUpdate(deployUpdate, { args: [{}] })).rejects.toThrow(WorkflowUpdateFailedError);
    const err = await lab.executeUpdate(deployUpdate, { args: [{}] }).catch((e: WorkflowUpdateFailedError) => e);
    expect(String((err as WorkflowUpdateFailedError).cause?.message)).toMatch(/busy: a destroy is running/);
    release();
    await waitFor(lab, (s) => s.status === 'destroyed');
  });
});

test('a missing image fails the deploy with the node, the step and the reason in the lab state', async () => {
  await withWorkers({ missingImages: ['nope/missing:1'] }, async (tq) => {
    const name = `wf-img-${uid}`;
    const lab = await createLab(tq, name, 'nope/missing:1');
    await lab.executeUpdate(deployUpdate, { args: [{}] });
    const failed = await waitFor(lab, (s) => s.status === 'failed' && !s.current);
    expect(failed.error?.step).toBe('images');
    expect(failed.error?.node).toBe('a');
    expect(failed.error?.message).toMatch(/image "nope\/missing:1" is not present/);
    expect(failed.nodes.find((n) => n.name === 'a')?.state).toBe('failed');
    expect(failed.nodes.find((n) => n.name === 'a')?.error).toMatch(/nope\/missing:1/);
    // Destroy afterwards is allowed and completes.
    await lab.executeUpdate(destroyUpdate);
    await waitFor(lab, (s) => s.status === 'destroyed');
  });
});

test('the lab workflow continues as new when its history grows, keeping its state and accepting operations', async () => {
  await withWorkers({}, async (tq) => {
    const name = `wf-can-${uid}`;
    const lab = await createLab(tq, name, undefined, 40);
    const firstRun = (await lab.describe()).runId;
    await lab.executeUpdate(deployUpdate, { args: [{}] });
    await waitFor(lab, (s) => s.status === 'running' && !s.current);
    // A deploy's progress signals push the history past the limit: a new run carries the state on.
    const deadline = Date.now() + 20_000;
    while ((await lab.describe()).runId === firstRun && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await lab.describe()).runId).not.toBe(firstRun);
    const carried = await lab.query(stateQuery);
    expect(carried.status).toBe('running');
    expect(carried.recent[0].kind).toBe('deploy');
    expect(carried.nodes.every((n) => n.state === 'running')).toBe(true);
    // The new run still takes operations, and child ids keep counting.
    const d = await lab.executeUpdate(destroyUpdate);
    expect(d.workflowId).toBe(`${labWorkflowId(name)}:destroy:2`);
    await waitFor(lab, (s) => s.status === 'destroyed' && !s.current);
  });
});
