// The archetype CLI's commands. Everything but `validate` and `smoke` goes through the REST API.
import Table from 'cli-table3';
import { ApiClient, CliError, type LabView } from './api-client';
import { bundleTopology } from './bundle';

export interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const stdio: Out = {
  stdout: (s) => process.stdout.write(`${s}\n`),
  stderr: (s) => process.stderr.write(`${s}\n`),
};

// No colour codes: inspect output goes to logs and pipes as often as to terminals.
const PLAIN = { head: [] as string[], border: [] as string[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Follows an operation through the lab's state, printing each step and node as it changes. */
export async function follow(api: ApiClient, lab: string, workflowId: string, out: Out, timeoutMs = 30 * 60_000): Promise<LabView> {
  const seen = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  let lastVersion = -1;
  for (;;) {
    const state = await api.lab(lab);
    if (state.version !== lastVersion) {
      lastVersion = state.version;
      const op = state.current?.workflowId === workflowId ? state.current : state.recent.find((r) => r.workflowId === workflowId);
      for (const s of op?.steps ?? []) {
        const key = `step:${s.step}`;
        if (seen.get(key) !== s.state) {
          seen.set(key, s.state);
          out.stdout(`  ${s.state === 'done' ? '✔' : s.state === 'failed' ? '✘' : '…'} ${s.step}${s.detail ? ` (${s.detail})` : ''}`);
        }
      }
      for (const n of state.nodes) {
        const key = `node:${n.name}`;
        if (seen.get(key) !== n.state && (seen.has(key) || n.state !== 'pending')) {
          seen.set(key, n.state);
          out.stdout(`      node ${n.name}: ${n.state}${n.error ? ` — ${n.error}` : ''}`);
        }
      }
      if (op && op.state !== 'running') return state;
    }
    if (Date.now() > deadline) throw new CliError(`timed out following ${workflowId}; it goes on in the background: archetype inspect ${lab}`);
    await sleep(400);
  }
}

export async function deployCommand(api: ApiClient, file: string, opts: { wait: boolean }, out: Out = stdio): Promise<number> {
  const bundle = await bundleTopology(file);
  const put = await api.putLab({ topology: bundle.text, filename: bundle.filename, files: bundle.files });
  const op = await api.deploy(put.lab);
  out.stdout(`${op.joined ? 'joined running' : 'started'} deploy of lab "${put.lab}": ${op.workflowId}`);
  out.stdout(`  watch: ${op.url}`);
  if (!opts.wait) return 0;
  const state = await follow(api, put.lab, op.workflowId, out);
  if (state.status === 'running') {
    out.stdout(`lab "${put.lab}" is running`);
    out.stdout(renderInspect(state));
    return 0;
  }
  out.stderr(`deploy of lab "${put.lab}" failed${state.error?.step ? ` at step ${state.error.step}` : ''}: ${state.error?.message ?? 'unknown error'}`);
  out.stderr(`  details: ${op.url}`);
  out.stderr(`  clean up with: archetype destroy ${put.lab}`);
  return 1;
}

export async function destroyCommand(api: ApiClient, lab: string, opts: { wait: boolean; remove: boolean }, out: Out = stdio): Promise<number> {
  const op = await api.destroy(lab);
  out.stdout(`${op.joined ? 'joined running' : 'started'} destroy of lab "${lab}": ${op.workflowId}`);
  out.stdout(`  watch: ${op.url}`);
  if (!opts.wait) return 0;
  const state = await follow(api, lab, op.workflowId, out);
  if (state.status !== 'destroyed') {
    out.stderr(`destroy of lab "${lab}" failed: ${state.error?.message ?? 'unknown error'}`);
    return 1;
  }
  if (opts.remove) await api.remove(lab);
  out.stdout(`lab "${lab}" destroyed${opts.remove ? ' and removed' : ''}`);
  return 0;
}

export function inspectJson(state: LabView) {
  return {
    name: state.name,
    status: state.status,
    error: state.error,
    nodes: state.nodes.map((n) => ({
      name: n.name, kind: n.kind, image: n.image, container: n.container, host: n.host, state: n.state,
      mgmtIPv4: n.mgmtIPv4 ?? null, mgmtIPv6: n.mgmtIPv6 ?? null, ...(n.error ? { error: n.error } : {}),
    })),
    links: state.links.map((l) => ({
      id: l.id, a: l.a, b: l.b, kind: l.kind, vlan: l.vlan, vni: l.vni, state: l.state, ...(l.error ? { error: l.error } : {}),
    })),
    operation: state.current ? { kind: state.current.kind, workflowId: state.current.workflowId, url: state.ui.current } : null,
    recent: state.recent.map((r, i) => ({ kind: r.kind, state: r.state, workflowId: r.workflowId, startedAt: r.startedAt, endedAt: r.endedAt, url: state.ui.recent[i] })),
    runs: state.ui.runs,
  };
}

export function renderInspect(state: LabView): string {
  const nodes = new Table({ style: PLAIN, head: ['#', 'Name', 'Container', 'Kind', 'Image', 'Host', 'State', 'IPv4 Address'] });
  state.nodes.forEach((n, i) => nodes.push([i + 1, n.name, n.container, n.kind, n.image, n.host, n.state + (n.error ? ` (${n.error})` : ''), n.mgmtIPv4 ?? 'N/A']));
  const links = new Table({ style: PLAIN, head: ['Endpoint A', 'Endpoint B', 'Kind', 'VLAN/VNI', 'State'] });
  for (const l of state.links) links.push([`${l.a.node}:${l.a.interface}`, `${l.b.node}:${l.b.interface}`, l.kind, String(l.vlan ?? l.vni ?? ''), l.state]);
  const lines = [`lab ${state.name}: ${state.status}${state.current ? ` (${state.current.kind} running)` : ''}`];
  if (state.error) lines.push(`error${state.error.step ? ` at ${state.error.step}` : ''}: ${state.error.message}`);
  lines.push(nodes.toString());
  if (state.links.length) lines.push(links.toString());
  lines.push(`runs in the Temporal UI: ${state.ui.runs}`);
  return lines.join('\n');
}

export async function inspectCommand(api: ApiClient, lab: string | undefined, opts: { json: boolean }, out: Out = stdio): Promise<number> {
  if (lab) {
    const state = await api.lab(lab);
    out.stdout(opts.json ? JSON.stringify(inspectJson(state), null, 2) : renderInspect(state));
    return 0;
  }
  const { labs } = await api.labs();
  if (opts.json) {
    const all = await Promise.all(labs.map((l) => api.lab(l.name).then(inspectJson, (err: Error) => ({ name: l.name, status: 'unknown', error: err.message }))));
    out.stdout(JSON.stringify({ labs: all }, null, 2));
    return 0;
  }
  if (!labs.length) {
    out.stdout('no labs');
    return 0;
  }
  const table = new Table({ style: PLAIN, head: ['Lab', 'Status', 'Nodes', 'Links', 'Running operation'] });
  for (const l of labs) table.push([l.name, l.status + (l.error ? ` (${l.error})` : ''), l.nodes, l.links, l.operation ?? '']);
  out.stdout(table.toString());
  return 0;
}
