// The API's view of labs: everything goes through the lab's workflow (the single writer). Reads are
// queries, changes are updates; nothing is stored beside Temporal except the lab's files.
import path from 'node:path';
import fs from 'node:fs/promises';
import { Client, Connection, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { parseDocument } from 'yaml';
import type { ArchetypeConfig } from '../config';
import { formatError, parseTopology } from '../lab/parse';
import { CONTROL_TASK_QUEUE } from '../lab/queues';
import type { HostInfo, Topology, TopologyError } from '../lab/types';
import {
  deployUpdate, destroyUpdate, labWorkflowId, LabNameKey, OperationKey, removeUpdate, setTopologyUpdate, stateQuery,
  type LabState, type OperationStarted,
} from '../workflows/defs';

export class ApiError extends Error {
  constructor(readonly statusCode: number, message: string, readonly errors?: (TopologyError & { text: string })[]) {
    super(message);
  }
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const QUERY_TIMEOUT_MS = 10_000;
const LIST_QUERY_TIMEOUT_MS = 3_000;
const GRPC_DEADLINE_EXCEEDED = 4;

export interface LabSummary {
  name: string;
  status: LabState['status'] | 'unknown';
  /** Why the status is unknown. */
  error?: string;
  nodes: number;
  links: number;
  operation?: string;
}

export interface LabSubmission {
  /** The topology file's text (containerlab YAML). */
  topology: string;
  /** File name to keep it under (default `<lab>.clab.yml`). */
  filename?: string;
  /** Files the topology references, relative to its folder, base64-encoded. */
  files?: Record<string, string>;
}

export class LabService {
  private constructor(readonly config: ArchetypeConfig, readonly client: Client, private readonly connection: Connection) {}

  static async connect(config: ArchetypeConfig): Promise<LabService> {
    const connection = await Connection.connect({ address: config.temporalAddress });
    const client = new Client({ connection, namespace: config.temporalNamespace });
    return new LabService(config, client, connection);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  hosts(): HostInfo[] {
    return this.config.hosts.map((id) => ({ id }));
  }

  uiWorkflowUrl(workflowId: string, runId?: string): string {
    const ns = encodeURIComponent(this.config.temporalNamespace);
    return `${this.config.temporalUiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${runId}` : ''}/history`;
  }

  uiLabRunsUrl(lab: string): string {
    const ns = encodeURIComponent(this.config.temporalNamespace);
    return `${this.config.temporalUiUrl}/namespaces/${ns}/workflows?query=${encodeURIComponent(`LabName="${lab}"`)}`;
  }

  /** Validates the submission, stores the lab's files, and creates or updates the lab workflow. */
  async putLab(sub: LabSubmission): Promise<{ lab: string; created: boolean; state: LabState }> {
    const name = labNameOf(sub.topology);
    const labsDir = path.join(this.config.stateDir, 'labs');
    const labDir = path.join(labsDir, name);
    const filename = sub.filename ? path.basename(sub.filename) : `${name}.clab.yml`;
    if (!SAFE_NAME.test(filename)) throw new ApiError(400, `filename ${JSON.stringify(sub.filename)}: expected a plain file name`);
    const file = path.join(labDir, filename);
    const result = parseTopology(sub.topology, {
      file, origin: { kind: 'api', labDir, allowedRoots: this.config.allowedBindRoots },
    });
    if (result.errors.length || !result.topology) {
      throw new ApiError(400, `topology has ${result.errors.length} error(s)`, result.errors.map((e) => ({ ...e, text: formatError(e) })));
    }
    const files = Object.entries(sub.files ?? {});
    for (const [rel] of files) {
      if (!isSafeRelative(rel)) throw new ApiError(400, `files: ${JSON.stringify(rel)} must be a relative path inside the lab's folder`);
    }
    // Stage everything in a fresh folder, then swap it in: a bad upload leaves the old lab intact.
    await fs.mkdir(labsDir, { recursive: true });
    const staging = await fs.mkdtemp(path.join(labsDir, `.incoming-${name}-`));
    try {
      for (const [rel, b64] of files) {
        const dest = path.join(staging, rel);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await fs.writeFile(dest, Buffer.from(b64, 'base64'));
      }
      await fs.writeFile(path.join(staging, filename), sub.topology);
      const old = `${labDir}.old-${process.pid}-${Date.now()}`;
      await fs.rename(labDir, old).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err; });
      await fs.rename(staging, labDir);
      await fs.rm(old, { recursive: true, force: true });
    } catch (err) {
      await fs.rm(staging, { recursive: true, force: true });
      throw err;
    }
    const state = await this.setTopology(result.topology);
    return { lab: name, created: state.version <= 1, state };
  }

  private async setTopology(topology: Topology): Promise<LabState> {
    const workflowId = labWorkflowId(topology.name);
    const startWorkflowOperation = new WithStartWorkflowOperation('labWorkflow', {
      workflowId,
      taskQueue: CONTROL_TASK_QUEUE,
      args: [{ name: topology.name }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: LabNameKey, value: topology.name }, { key: OperationKey, value: 'lab' }],
    });
    try {
      await this.client.workflow.executeUpdateWithStart(setTopologyUpdate, {
        args: [{ topology, hosts: this.hosts() }], startWorkflowOperation,
      });
    } catch (err) {
      throw updateError(err);
    }
    return this.state(topology.name);
  }

  async state(name: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<LabState> {
    checkName(name);
    try {
      // A query needs a control worker to answer it: bound the wait instead of hanging the request.
      return await this.client.withDeadline(Date.now() + timeoutMs, () => this.client.workflow.getHandle(labWorkflowId(name)).query(stateQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error).message))) {
        throw new ApiError(404, `no lab named "${name}"`);
      }
      if (isDeadlineExceeded(err)) {
        throw new ApiError(503, `lab "${name}" did not answer within ${timeoutMs / 1000} s: is the control worker running?`);
      }
      throw err;
    }
  }

  async deploy(name: string): Promise<OperationStarted> {
    await this.state(name); // 404 when unknown
    try {
      return await this.client.workflow.getHandle(labWorkflowId(name)).executeUpdate(deployUpdate, { args: [{ hosts: this.hosts() }] });
    } catch (err) {
      throw updateError(err);
    }
  }

  async destroy(name: string): Promise<OperationStarted> {
    await this.state(name);
    try {
      return await this.client.workflow.getHandle(labWorkflowId(name)).executeUpdate(destroyUpdate);
    } catch (err) {
      throw updateError(err);
    }
  }

  async remove(name: string): Promise<void> {
    await this.state(name);
    try {
      await this.client.workflow.getHandle(labWorkflowId(name)).executeUpdate(removeUpdate);
    } catch (err) {
      throw updateError(err);
    }
    await fs.rm(path.join(this.config.stateDir, 'labs', name), { recursive: true, force: true });
  }

  async list(): Promise<LabSummary[]> {
    const names: string[] = [];
    const query = `WorkflowType = 'labWorkflow' AND ExecutionStatus = 'Running'`;
    for await (const wf of this.client.workflow.list({ query })) names.push(wf.workflowId.replace(/^lab:/, ''));
    // Queried in parallel, each bounded: one lab whose worker does not answer cannot stall the list.
    const rows = await Promise.all(names.map(async (name): Promise<LabSummary | undefined> => {
      try {
        const s = await this.state(name, LIST_QUERY_TIMEOUT_MS);
        return { name, status: s.status, nodes: s.nodes.length || s.topology?.nodes.length || 0, links: s.links.length || s.topology?.links.length || 0, operation: s.current?.kind };
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 404) return undefined; // ended between list and query
        return { name, status: 'unknown', nodes: 0, links: 0, error: (err as Error).message };
      }
    }));
    return rows.filter((r): r is LabSummary => r !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }
}

function isDeadlineExceeded(err: unknown): boolean {
  for (let e = err as { code?: number; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === GRPC_DEADLINE_EXCEEDED || /deadline exceeded/i.test(String(e.message))) return true;
  }
  return false;
}

function checkName(name: string): void {
  if (!SAFE_NAME.test(name)) throw new ApiError(400, `lab name ${JSON.stringify(name)}: expected letters, digits, '_', '.', '-'`);
}

function isSafeRelative(rel: string): boolean {
  if (!rel || rel.startsWith('/') || rel.includes('\\') || rel.includes('\0')) return false;
  return rel.split('/').every((part) => part !== '' && part !== '..' && part !== '.');
}

/** The lab name, read before full validation so the lab's folder can be chosen. */
function labNameOf(text: string): string {
  let name: unknown;
  try {
    name = parseDocument(text).get('name');
  } catch {
    name = undefined;
  }
  if (typeof name !== 'string' || !SAFE_NAME.test(name)) {
    // Full validation gives the located message.
    const result = parseTopology(text, { file: 'topology.clab.yml', origin: { kind: 'api', labDir: '/nonexistent', allowedRoots: [] } });
    const errors = result.errors.map((e) => ({ ...e, text: formatError(e) }));
    throw new ApiError(400, errors.length ? `topology has ${errors.length} error(s)` : 'topology has no valid name', errors);
  }
  return name;
}

function updateError(err: unknown): Error {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { message?: string } | undefined;
    return new ApiError(409, cause?.message ?? err.message);
  }
  return err as Error;
}
