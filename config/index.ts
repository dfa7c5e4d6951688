// Runtime configuration, read once from the environment. Every process (host worker, control worker,
// API, CLI) uses the same names so one `.env`-style file or systemd unit can drive them all.
import os from 'node:os';
import path from 'node:path';

export type OvsDatapath = 'netdev' | 'system';

export interface ArchetypeConfig {
  /** Folder for logs, pid files, the Temporal database and lab files submitted over the API. */
  stateDir: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** Base URL of the Temporal Web UI, used to print links to runs. */
  temporalUiUrl: string;
  /** This host's id: the host worker polls `host:<hostId>`. */
  hostId: string;
  /** OVS datapath for lab bridges: `system` (kernel module) on real hosts, `netdev` (userspace) where no module exists. */
  ovsDatapath: OvsDatapath;
  apiHost: string;
  apiPort: number;
  /** Where the CLI finds the API. */
  apiUrl: string;
  /** Hosts labs are placed on (until the host registry lands): ARCHETYPE_HOSTS, default this host. */
  hosts: string[];
  /** Extra folders a topology submitted over the API may bind from (besides its own lab folder). */
  allowedBindRoots: string[];
}

function envInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`expected a port number, got ${JSON.stringify(value)}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ArchetypeConfig {
  const stateDir = path.resolve(env.ARCHETYPE_STATE_DIR ?? path.join(__dirname, '..', '..', '.state'));
  const datapath = env.ARCHETYPE_OVS_DATAPATH ?? 'netdev';
  if (datapath !== 'netdev' && datapath !== 'system') {
    throw new Error(`ARCHETYPE_OVS_DATAPATH: expected "netdev" or "system", got ${JSON.stringify(datapath)}`);
  }
  const apiPort = envInt(env.ARCHETYPE_API_PORT, 8090);
  const apiHost = env.ARCHETYPE_API_HOST ?? '127.0.0.1';
  const hostId = env.ARCHETYPE_HOST_ID ?? os.hostname();
  return {
    stateDir,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalUiUrl: (env.ARCHETYPE_TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233').replace(/\/$/, ''),
    hostId,
    hosts: (env.ARCHETYPE_HOSTS ?? hostId).split(',').map((h) => h.trim()).filter(Boolean),
    ovsDatapath: datapath,
    apiHost,
    apiPort,
    apiUrl: (env.ARCHETYPE_API_URL ?? `http://127.0.0.1:${apiPort}`).replace(/\/$/, ''),
    allowedBindRoots: (env.ARCHETYPE_ALLOWED_BIND_ROOTS ?? '').split(':').filter(Boolean).map((p) => path.resolve(p)),
  };
}
