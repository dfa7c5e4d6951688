// Starts one real Temporal dev server (the pinned binary from .tools, never a download) for the
// whole jest run, on free loopback ports, with Archetype's search attributes registered.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs/promises';
import { Connection } from '@temporalio/client';

export const TEMPORAL_BIN = path.resolve(__dirname, '../../.tools/temporal');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export default async function globalSetup(): Promise<void> {
  if (process.env.ARCHETYPE_TEST_TEMPORAL_ADDRESS) return; // an existing server was supplied
  await fs.access(TEMPORAL_BIN).catch(() => {
    throw new Error(`Temporal CLI not found at ${TEMPORAL_BIN}: run scripts/provision.sh first`);
  });
  const port = await freePort();
  const uiPort = await freePort();
  const child = spawn(TEMPORAL_BIN, [
    'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort),
    '--log-level', 'error',
    '--search-attribute', 'LabName=Keyword', '--search-attribute', 'HostId=Keyword', '--search-attribute', 'Operation=Keyword',
  ], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  child.unref();
  (globalThis as Record<string, unknown>).__archetypeTemporal = child;
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.healthService.check({});
      await conn.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal test server did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  process.env.ARCHETYPE_TEST_TEMPORAL_ADDRESS = address;
}
