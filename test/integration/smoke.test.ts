// The smallest real chain (client → Temporal → control worker → host worker → Docker + OVS), and
// its crash safety: SIGKILL the host worker while the smoke activity runs, start it again, and the
// workflow still completes, leaving no extra container or bridge.
import { Client, Connection } from '@temporalio/client';
import { execa } from 'execa';
import { CONTROL_TASK_QUEUE } from '../../lab/queues';
import { startStack, type TestStack } from '../helpers/stack';
import { temporalAddress } from '../helpers/temporal';
import { eventually } from '../helpers/host-state';

let stack: TestStack;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  stack = await startStack('smoke');
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection });
}, 120_000);
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

async function smokeObjects(token: string) {
  const containers = (await execa('docker', ['ps', '-a', '--filter', `name=arch-smoke-${token}`, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean);
  const bridges = (await execa('ovs-vsctl', ['list-br'])).stdout.split('\n').filter((b) => b === `arsmk-${token}`);
  return { containers, bridges };
}

test('the smoke workflow creates and removes a labelled container and an OVS bridge on the host', async () => {
  const token = `s${Date.now().toString(36).slice(-6)}`;
  const result = await client.workflow.execute('smokeWorkflow', {
    taskQueue: CONTROL_TASK_QUEUE, workflowId: `smoke-${token}`, args: [{ hostId: stack.hostId, token, holdMs: 0 }],
  });
  expect(result).toEqual({ container: `arch-smoke-${token}`, bridge: `arsmk-${token}` });
  expect(await smokeObjects(token)).toEqual({ containers: [], bridges: [] });
});

test('SIGKILL of the host worker during the smoke activity: the workflow still completes and nothing is left', async () => {
  const token = `k${Date.now().toString(36).slice(-6)}`;
  const handle = await client.workflow.start('smokeWorkflow', {
    taskQueue: CONTROL_TASK_QUEUE, workflowId: `smoke-${token}`, args: [{ hostId: stack.hostId, token, holdMs: 8000 }],
  });
  await eventually('smoke container and bridge', async () => {
    const o = await smokeObjects(token);
    return o.containers.length === 1 && o.bridges.length === 1;
  }, 60_000, 100);
  await stack.killHostWorker('SIGKILL');
  await stack.startHostWorker();
  const result = await handle.result();
  expect(result.container).toBe(`arch-smoke-${token}`);
  expect(await smokeObjects(token)).toEqual({ containers: [], bridges: [] });
  const { events } = await handle.fetchHistory();
  const attempts = events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0);
  expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2); // the activity really was retried
});
