// An Archetype stack for end-to-end tests, on the real Temporal test server, real dockerd and OVS:
// the control worker in this process, the host worker as a separate process (so a test can SIGKILL
// it), and the API on a free loopback port. Each stack has its own host id, so it never competes
// with an embedded stack that may run on the same machine.
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { Worker, NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config';
import { buildApp } from '../../api/app';
import { LabService } from '../../api/lab-service';
import { CONTROL_TASK_QUEUE } from '../../lab/queues';
import { ApiClient } from '../../cli/api-client';
import { temporalAddress, workflowBundle } from './temporal';

const ROOT = path.resolve(__dirname, '..', '..');

export interface TestStack {
  hostId: string;
  stateDir: string;
  api: ApiClient;
  apiUrl: string;
  env: NodeJS.ProcessEnv;
  startHostWorker(): Promise<void>;
  killHostWorker(signal?: NodeJS.Signals): Promise<void>;
  hostWorkerLog(): string;
  stop(): Promise<void>;
}

export async function startStack(name: string): Promise<TestStack> {
  const hostId = `${name}-${Date.now().toString(36)}`;
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), `archetype-${name}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress(),
    ARCHETYPE_HOST_ID: hostId,
    ARCHETYPE_STATE_DIR: stateDir,
    ARCHETYPE_API_PORT: '1', // unused: the test API listens on port 0
  };
  const config = loadConfig(env);

  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const control = await Worker.create({
    connection, taskQueue: CONTROL_TASK_QUEUE, workflowBundle: await workflowBundle(), maxCachedWorkflows: 100,
  });
  const controlRun = control.run();

  const labs = await LabService.connect(config);
  const app: FastifyInstance = await buildApp(labs);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address() as { port: number };
  const apiUrl = `http://127.0.0.1:${addr.port}`;

  let child: ChildProcess | undefined;
  let log = '';
  const startHostWorker = async () => {
    child = spawn(process.execPath, [path.join(ROOT, 'dist', 'workers', 'host.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        log += d.toString();
        if (log.includes('polling')) resolve();
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
      child!.once('exit', (code) => reject(new Error(`host worker exited (${code}) before it was ready:\n${log}`)));
    });
    await ready;
  };
  const killHostWorker = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill(signal);
    await exited;
  };
  await startHostWorker();

  const api = new ApiClient(apiUrl);
  return {
    hostId, stateDir, apiUrl, env, api,
    startHostWorker,
    killHostWorker,
    hostWorkerLog: () => log,
    async stop() {
      // Leave nothing behind even when a test failed half-way: destroy every lab still deployed.
      const { labs: left } = await api.labs().catch(() => ({ labs: [] as { name: string; status: string }[] }));
      for (const l of left) {
        if (l.status === 'destroyed' || l.status === 'defined') continue;
        if (child?.exitCode !== null) await startHostWorker().catch(() => undefined);
        const op = await api.destroy(l.name).catch(() => undefined);
        const deadline = Date.now() + 60_000;
        while (op && Date.now() < deadline) {
          const s = await api.lab(l.name).catch(() => undefined);
          if (!s || (!s.current && s.status === 'destroyed')) break;
          await new Promise((r) => setTimeout(r, 300));
        }
      }
      await killHostWorker('SIGTERM');
      await app.close();
      await labs.close();
      control.shutdown();
      await controlRun;
      await connection.close();
      await fs.rm(stateDir, { recursive: true, force: true });
    },
  };
}
