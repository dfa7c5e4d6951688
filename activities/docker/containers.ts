// Lab node containers: create, start, exec, remove, list. Every container carries the labels
// archetype.managed/lab/node/host; nothing without them is ever modified or removed.
import fs from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { bindSource } from '../../lab/paths';
import type { PlannedMgmt, PlannedNode } from '../../lab/types';
import { privilegedHostConfig } from '../host/privileges';
import { docker, dockerMessage, dockerStatus, isOurs, labLabels, LABEL_LAB, LABEL_NODE } from './client';
import { parseEnvFile, parsePort, splitCommand } from './parse';
import { errorMessage, heartbeat, log, permanent, safeName, sleep } from '../util';

export interface CreateNodeInput {
  lab: string;
  hostId: string;
  node: PlannedNode;
  mgmt: PlannedMgmt;
}

export interface CreateNodeResult {
  containerId: string;
  created: boolean;
}

/** `node` is the container name (PlannedNode.containerName). */
export interface StartNodeInput {
  lab: string;
  node: string;
}

export interface StartNodeResult {
  pid: number;
}

export interface ExecNodeInput {
  lab: string;
  /** Container name. */
  node: string;
  commands: string[];
  /** Per-command time limit; default 5 minutes. */
  timeoutMs?: number;
}

export interface ExecResult {
  command: string;
  exitCode: number;
  output: string;
}

export interface RemoveNodeInput {
  lab: string;
  containerName: string;
}

export interface LabContainer {
  name: string;
  id: string;
  node: string;
  state: string;
  pid: number;
}

type Inspect = Dockerode.ContainerInspectInfo;

async function inspectContainer(name: string): Promise<Inspect | undefined> {
  try {
    return await docker().getContainer(name).inspect();
  } catch (err) {
    if (dockerStatus(err) === 404) return undefined;
    throw err;
  }
}

const containerName = (s: string) => s.replace(/^\//, '');

/** Capabilities this dockerd rejected as unknown (older daemons do not know CAP_BPF, CAP_PERFMON, ...). */
const unknownCaps = new Set<string>();

async function buildCreateOptions(lab: string, hostId: string, node: PlannedNode, mgmt: PlannedMgmt): Promise<Dockerode.ContainerCreateOptions> {
  const spec = node.spec;
  const bad = (msg: string) => permanent(`node ${node.name}: ${msg}`, 'InvalidInput');

  // env: env-files first (in order), then the topology's env wins.
  const env: Record<string, string> = {};
  for (const file of spec.envFiles ?? []) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      throw bad(`cannot read env-file ${file} on host ${hostId}: ${errorMessage(err)}`);
    }
    try {
      Object.assign(env, parseEnvFile(text, file));
    } catch (err) {
      throw bad(`env-file ${errorMessage(err)}`);
    }
  }
  Object.assign(env, spec.env ?? {});

  // Docker would create a missing bind source as an empty directory (a config file silently
  // becomes a folder): refuse instead, naming the file.
  for (const bind of spec.binds ?? []) {
    const source = bindSource(bind);
    if (!source.startsWith('/')) continue;
    try {
      await fs.access(source);
    } catch {
      throw bad(`bind source ${source} does not exist on host ${hostId} (bind "${bind}")`);
    }
  }

  const words = (field: string, value: string | undefined): string[] | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    try {
      return splitCommand(value);
    } catch (err) {
      throw bad(`${field}: ${errorMessage(err)}`);
    }
  };

  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.ports ?? []) {
    let b;
    try {
      b = parsePort(p);
    } catch (err) {
      throw bad(errorMessage(err));
    }
    exposed[b.key] = {};
    (bindings[b.key] ??= []).push({ HostIp: b.hostIp, HostPort: b.hostPort });
  }

  const mode = spec.networkMode ?? 'bridge';
  const priv = await privilegedHostConfig();
  const hostConfig: Dockerode.HostConfig = {
    RestartPolicy: { Name: 'no' }, // Archetype owns the lifecycle (see notes/host-plumbing.md)
    Binds: spec.binds?.length ? spec.binds : undefined,
    PortBindings: Object.keys(bindings).length ? bindings : undefined,
    NanoCpus: spec.cpu ? Math.round(spec.cpu * 1e9) : undefined,
    Memory: spec.memory ? Math.round(spec.memory) : undefined,
    NetworkMode: mode === 'bridge' ? mgmt.network : mode,
    // A host-network container shares the host's sysctls: never touch them.
    Sysctls: mode === 'host' ? undefined : { 'net.ipv4.ip_forward': '1', 'net.ipv6.conf.all.disable_ipv6': '0' },
    ...(priv.Privileged ? { Privileged: true } : {
      Privileged: false,
      CapAdd: priv.CapAdd.filter((c) => !unknownCaps.has(c)),
      SecurityOpt: priv.SecurityOpt,
      MaskedPaths: priv.MaskedPaths,
      ReadonlyPaths: priv.ReadonlyPaths,
    }),
  };
  const endpoint: Dockerode.EndpointSettings = { Aliases: [node.name] };
  if (node.mgmtIpv4 || node.mgmtIpv6) {
    endpoint.IPAMConfig = {
      ...(node.mgmtIpv4 ? { IPv4Address: node.mgmtIpv4 } : {}),
      ...(node.mgmtIpv6 ? { IPv6Address: node.mgmtIpv6 } : {}),
    };
  }
  return {
    name: node.containerName,
    Image: node.image,
    // Docker refuses a hostname with network-mode host (it is the host's).
    Hostname: mode === 'host' ? undefined : node.name,
    Labels: { ...(spec.labels ?? {}), ...labLabels(lab, hostId, node.name), 'archetype.kind': node.kind },
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Cmd: words('cmd', spec.cmd),
    Entrypoint: words('entrypoint', spec.entrypoint),
    User: spec.user || undefined,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    HostConfig: hostConfig,
    NetworkingConfig: mode === 'bridge' ? { EndpointsConfig: { [mgmt.network]: endpoint } } : undefined,
  };
}

export function createCreateNode(defaultHostId: string) {
  return async function createNode(input: CreateNodeInput): Promise<CreateNodeResult> {
    const lab = safeName('lab', input?.lab);
    const hostId = safeName('hostId', input.hostId ?? defaultHostId);
    const node = input.node;
    safeName('node name', node?.name);
    const name = safeName('container name', node.containerName);
    safeName('image', node.image);
    if (node.spec?.networkMode === undefined || node.spec.networkMode === 'bridge') safeName('mgmt.network', input.mgmt?.network);

    const reuse = (info: Inspect): CreateNodeResult => {
      if (!isOurs(info.Config.Labels, lab, node.name)) {
        const owner = info.Config.Labels?.[LABEL_LAB];
        throw permanent(`a container named "${name}" already exists on host ${hostId} and does not belong to node ${node.name} of lab ${lab}`
          + `${owner ? ` (it belongs to lab ${owner}${info.Config.Labels?.[LABEL_NODE] ? `, node ${info.Config.Labels[LABEL_NODE]}` : ''})` : ''}; `
          + 'remove it or change the lab prefix', 'NameConflict');
      }
      return { containerId: info.Id, created: false };
    };

    const existing = await inspectContainer(name);
    if (existing) return reuse(existing);

    for (let attempt = 0; ; attempt++) {
      const opts = await buildCreateOptions(lab, hostId, node, input.mgmt);
      try {
        const c = await docker().createContainer(opts);
        return { containerId: c.id, created: true };
      } catch (err) {
        const status = dockerStatus(err);
        const msg = dockerMessage(err);
        const cap = /unknown capability: "?(CAP_[A-Z_]+)/.exec(msg);
        if (cap && attempt < 16) {
          unknownCaps.add(cap[1]);
          log(`dockerd does not know ${cap[1]}: leaving it out of the capabilities of lab containers`);
          continue;
        }
        if (status === 409) {
          const raced = await inspectContainer(name); // a concurrent attempt created it
          if (raced) return reuse(raced);
        }
        if (status === 404 && /image/i.test(msg)) {
          throw permanent(`image "${node.image}" of node ${node.name} is not present on host ${hostId}: ${msg}`, 'ImageNotFound');
        }
        if (status === 400) throw permanent(`cannot create the container of node ${node.name} on host ${hostId}: ${msg}`, 'InvalidInput');
        if (/address already in use|no available ip|invalid address|not in the network's subnet|does not belong to|no configured subnet/i.test(msg)) {
          throw permanent(`cannot create the container of node ${node.name} on host ${hostId}: ${msg}`, 'InvalidInput');
        }
        throw new Error(`creating the container of node ${node.name} on host ${hostId}: ${msg}`);
      }
    }
  };
}

async function ourContainer(lab: string, name: string, hostId: string): Promise<Inspect> {
  const info = await inspectContainer(name);
  if (!info) {
    throw permanent(`container "${name}" of lab ${lab} does not exist on host ${hostId}; deploy the lab again to recreate it`, 'NodeMissing');
  }
  if (!isOurs(info.Config.Labels, lab)) {
    throw permanent(`container "${name}" on host ${hostId} does not belong to lab ${lab}; refusing to touch it`, 'NameConflict');
  }
  return info;
}

async function logTail(name: string, lines = 20): Promise<string> {
  try {
    const buf = await docker().getContainer(name).logs({ stdout: true, stderr: true, tail: lines, follow: false });
    // Non-TTY logs are multiplexed: 8-byte frame headers before each chunk.
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf));
    const parts: Buffer[] = [];
    let i = 0;
    while (i + 8 <= b.length && (b[i] === 1 || b[i] === 2) && b[i + 1] === 0) {
      const len = b.readUInt32BE(i + 4);
      parts.push(b.subarray(i + 8, i + 8 + len));
      i += 8 + len;
    }
    return (parts.length ? Buffer.concat(parts) : b).toString('utf8').trim();
  } catch {
    return '';
  }
}

export function createStartNode(hostId: string) {
  return async function startNode(input: StartNodeInput): Promise<StartNodeResult> {
    const lab = safeName('lab', input?.lab);
    const name = safeName('container name', input.node);
    let info = await ourContainer(lab, name, hostId);
    if (!info.State.Running) {
      try {
        await docker().getContainer(name).start();
      } catch (err) {
        const status = dockerStatus(err);
        const msg = dockerMessage(err);
        if (status !== 304) { // 304: already started
          if (/executable file not found|no such file or directory|permission denied|invalid argument/i.test(msg)) {
            throw permanent(`node container "${name}" cannot start on host ${hostId}: ${msg}`, 'InvalidInput');
          }
          throw new Error(`starting container "${name}" on host ${hostId}: ${msg}`);
        }
      }
      info = await ourContainer(lab, name, hostId);
    }
    if (!info.State.Running || !info.State.Pid) {
      // Started but its process exited at once: the image's command failed. Nothing a retry fixes.
      const tail = await logTail(name);
      throw permanent(`node container "${name}" on host ${hostId} exited right after start (exit code ${info.State.ExitCode}`
        + `${info.State.Error ? `, ${info.State.Error}` : ''})${tail ? `; last output:\n${tail}` : ''}`, 'NodeExited');
    }
    return { pid: info.State.Pid };
  };
}

async function execOne(container: Dockerode.Container, command: string, timeoutMs: number): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: ['sh', '-c', command], AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  docker().modem.demuxStream(stream, out, out);
  const timer = setInterval(() => heartbeat({ exec: command }), 2000);
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        stream.destroy();
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      stream.on('end', () => { clearTimeout(t); resolve(); });
      stream.on('close', () => { clearTimeout(t); resolve(); });
      stream.on('error', (e) => { clearTimeout(t); reject(e); });
    });
  } finally {
    clearInterval(timer);
  }
  // The exit code is set a moment after the stream ends.
  for (let i = 0; i < 50; i++) {
    const s = await exec.inspect();
    if (!s.Running && s.ExitCode !== null) {
      return { command, exitCode: s.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
    }
    await sleep(100);
  }
  throw new Error(`exec "${command}": no exit code`);
}

export function createExecNode(hostId: string) {
  return async function execNode(input: ExecNodeInput): Promise<ExecResult[]> {
    const lab = safeName('lab', input?.lab);
    const name = safeName('container name', input.node);
    if (!Array.isArray(input.commands) || input.commands.some((c) => typeof c !== 'string')) {
      throw permanent('execNode: commands must be a list of strings', 'InvalidInput');
    }
    const info = await ourContainer(lab, name, hostId);
    const node = info.Config.Labels?.[LABEL_NODE] ?? name;
    const container = docker().getContainer(name);
    const results: ExecResult[] = [];
    for (const command of input.commands) {
      heartbeat({ exec: command });
      const r = await execOne(container, command, input.timeoutMs ?? 300_000);
      results.push(r);
      if (r.exitCode !== 0) {
        const output = r.output.trim();
        throw permanent(`exec on node ${node} (lab ${lab}, host ${hostId}) failed: "${command}" exited with code ${r.exitCode}`
          + `${output ? `:\n${output.slice(-2000)}` : ' and printed nothing'}`, 'ExecFailed');
      }
    }
    return results;
  };
}

export function createRemoveNode(hostId: string) {
  return async function removeNode(input: RemoveNodeInput): Promise<{ removed: boolean }> {
    const lab = safeName('lab', input?.lab);
    const name = safeName('container name', input.containerName);
    const info = await inspectContainer(name);
    if (!info) return { removed: false };
    if (!isOurs(info.Config.Labels, lab)) {
      throw permanent(`container "${name}" on host ${hostId} does not belong to lab ${lab}; refusing to remove it`, 'NameConflict');
    }
    return { removed: await forceRemove(info.Id) };
  };
}

/** Force-removes a container (with its anonymous volumes); already gone = false. */
export async function forceRemove(id: string): Promise<boolean> {
  try {
    await docker().getContainer(id).remove({ force: true, v: true });
    return true;
  } catch (err) {
    const status = dockerStatus(err);
    if (status === 404) return false;
    if (status === 409 && /already in progress/i.test(dockerMessage(err))) {
      // Another removal is running: wait for it.
      for (let i = 0; i < 100; i++) {
        await sleep(200);
        if (!(await inspectContainer(id))) return true;
      }
    }
    throw new Error(`removing container ${id.slice(0, 12)}: ${dockerMessage(err)}`);
  }
}

export async function labContainers(lab: string): Promise<LabContainer[]> {
  const list = await docker().listContainers({ all: true, filters: { label: [`${LABEL_LAB}=${lab}`, 'archetype.managed=true'] } });
  const out: LabContainer[] = [];
  for (const c of list) {
    let pid = 0;
    if (c.State === 'running') {
      const info = await inspectContainer(c.Id);
      pid = info?.State.Pid ?? 0;
    }
    out.push({ name: containerName(c.Names[0] ?? c.Id), id: c.Id, node: c.Labels?.[LABEL_NODE] ?? '', state: c.State, pid });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function createListLabContainers() {
  return async function listLabContainers(input: { lab: string }): Promise<LabContainer[]> {
    return labContainers(safeName('lab', input?.lab));
  };
}
