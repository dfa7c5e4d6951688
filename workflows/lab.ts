// The lab workflow: one long-lived workflow per lab, the lab's single writer and system of record.
// Every operation arrives as an Update, is validated here against the lab's current state, and runs
// as a child workflow (its own run in the Temporal UI, linked to this one). Children report
// progress back by signal; the API reads the state by query.
import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler, startChild,
  upsertSearchAttributes, workflowInfo, ParentClosePolicy, isCancellation,
} from '@temporalio/workflow';
import {
  deployUpdate, destroyUpdate, HostIdKey, LabNameKey, OperationKey, progressSignal, removeUpdate,
  setTopologyUpdate, stateQuery,
  type LabState, type LabWorkflowInput, type LinkState, type NodeState, type OperationKind,
  type OperationRecord, type OperationStarted, type ProgressEvent,
} from './defs';
import { deployWorkflow, failureMessage } from './deploy';
import { destroyWorkflow } from './destroy';
import type { HostInfo, LabPlan, Topology } from '../lab/types';

const RECENT_OPERATIONS = 10;
/** Well below the server's limits (warning at 10k events): a lab's history stays small and fast to replay. */
const DEFAULT_HISTORY_LIMIT = 5000;

function now(): string {
  return new Date().toISOString(); // workflow time: deterministic inside the sandbox
}

export function initialState(name: string): LabState {
  return { name, status: 'defined', version: 0, hosts: [], nodes: [], links: [], recent: [], seq: 0 };
}

/** Node and link rows before anything is planned: enough for `inspect` to show what will exist. */
function rowsFromPlan(plan: LabPlan, old: LabState): { nodes: NodeState[]; links: LinkState[] } {
  const oldNodes = new Map(old.nodes.map((n) => [n.name, n]));
  const oldLinks = new Map(old.links.map((l) => [l.id, l]));
  return {
    nodes: plan.nodes.map((n) => ({
      name: n.name, kind: n.kind, image: n.image, host: n.host, container: n.containerName,
      mgmtIPv4: n.mgmtIpv4, mgmtIPv6: n.mgmtIpv6,
      state: oldNodes.get(n.name)?.state ?? 'pending',
      containerId: oldNodes.get(n.name)?.containerId,
      execDoneFor: oldNodes.get(n.name)?.execDoneFor,
    })),
    links: plan.links.map((l) => ({
      id: l.id,
      a: { node: l.a.node, interface: l.a.interface, host: l.a.host },
      b: { node: l.b.node, interface: l.b.interface, host: l.b.host },
      kind: l.kind,
      vlan: l.kind === 'local' ? l.vlan : undefined,
      vni: l.kind === 'vxlan' ? l.vni : undefined,
      state: oldLinks.get(l.id)?.state ?? 'pending',
    })),
  };
}

export async function labWorkflow(input: LabWorkflowInput): Promise<void> {
  const state: LabState = input.state ?? initialState(input.name);
  const me = workflowInfo().workflowId;
  let running: Promise<void> | undefined;

  const touch = () => { state.version += 1; };

  function applyProgress(operation: string, events: ProgressEvent[]): void {
    if (state.current?.workflowId !== operation) return; // a late signal from an older operation
    for (const ev of events) {
      switch (ev.type) {
        case 'plan': {
          state.plan = ev.plan;
          Object.assign(state, rowsFromPlan(ev.plan, state));
          break;
        }
        case 'step': {
          const steps = state.current.steps;
          const existing = steps.find((s) => s.step === ev.step);
          const at = now();
          if (existing) {
            existing.state = ev.state;
            existing.detail = ev.detail ?? existing.detail;
            if (ev.state !== 'running') existing.endedAt = at;
          } else {
            steps.push({ step: ev.step, state: ev.state, startedAt: at, endedAt: ev.state === 'running' ? undefined : at, detail: ev.detail });
          }
          break;
        }
        case 'node': {
          const node = state.nodes.find((n) => n.name === ev.node);
          if (node) {
            node.state = ev.state;
            if (ev.containerId) node.containerId = ev.containerId;
            node.error = ev.error;
          }
          break;
        }
        case 'link': {
          const link = state.links.find((l) => l.id === ev.link);
          if (link) { link.state = ev.state; link.error = ev.error; }
          break;
        }
        case 'exec': {
          const node = state.nodes.find((n) => n.name === ev.node);
          if (node) node.execDoneFor = ev.containerId;
          break;
        }
        case 'error':
          state.error = ev.error;
          state.current.error = ev.error;
          break;
      }
    }
    touch();
  }

  function refuseWhileBusy(kind: OperationKind): void {
    const cur = state.current;
    if (cur && cur.kind !== kind) {
      throw ApplicationFailure.nonRetryable(
        `lab "${state.name}" is busy: a ${cur.kind} is running (${cur.workflowId}); wait for it to finish, then ${kind} again`,
        'LabBusy',
      );
    }
  }

  async function startOperation(kind: OperationKind, hostsOverride?: HostInfo[]): Promise<OperationStarted> {
    if (state.current) {
      // Same operation already running: join it instead of starting a second one.
      return { kind, workflowId: state.current.workflowId, runId: state.current.runId ?? '', joined: true };
    }
    state.seq += 1;
    const workflowId = `${me}:${kind}:${state.seq}`;
    const record: OperationRecord = { kind, workflowId, state: 'running', startedAt: now(), steps: [] };
    state.current = record;
    state.error = undefined;
    state.status = kind === 'deploy' ? 'deploying' : 'destroying';
    touch();
    const hosts = hostsOverride ?? state.hosts;
    const searchAttributes = {
      typedSearchAttributes: [
        { key: LabNameKey, value: state.name },
        { key: OperationKey, value: kind },
        ...(hosts.length ? [{ key: HostIdKey, value: hosts.map((h) => h.id).join(',') }] : []),
      ],
    };
    let handle;
    if (kind === 'deploy') {
      if (!state.topology) throw ApplicationFailure.nonRetryable(`lab "${state.name}" has no topology yet`, 'NoTopology');
      handle = await startChild(deployWorkflow, {
        workflowId, args: [{
          lab: state.name, parentId: me, topology: state.topology, hosts, previousPlan: state.plan,
          execDone: Object.fromEntries(state.nodes.filter((n) => n.execDoneFor).map((n) => [n.name, n.execDoneFor!])),
        }],
        parentClosePolicy: ParentClosePolicy.ABANDON, ...searchAttributes,
      });
    } else {
      const hostIds = [...new Set([...hosts.map((h) => h.id), ...(state.plan?.hosts ?? [])])].sort();
      handle = await startChild(destroyWorkflow, {
        workflowId, args: [{ lab: state.name, parentId: me, hosts: hostIds }],
        parentClosePolicy: ParentClosePolicy.ABANDON, ...searchAttributes,
      });
    }
    record.runId = handle.firstExecutionRunId;
    touch();
    running = (async () => {
      try {
        await handle.result();
        record.state = 'completed';
        state.status = kind === 'deploy' ? 'running' : 'destroyed';
        if (kind === 'destroy') {
          for (const n of state.nodes) { n.state = 'removed'; n.containerId = undefined; n.error = undefined; n.execDoneFor = undefined; }
          for (const l of state.links) { l.state = 'removed'; l.error = undefined; }
        }
      } catch (err) {
        if (isCancellation(err)) throw err;
        record.state = 'failed';
        state.status = 'failed';
        const message = failureMessage(err);
        record.error ??= { message };
        state.error = record.error;
      } finally {
        record.endedAt = now();
        state.current = undefined;
        state.recent = [record, ...state.recent].slice(0, RECENT_OPERATIONS);
        touch();
      }
    })();
    return { kind, workflowId, runId: record.runId, joined: false };
  }

  setHandler(stateQuery, () => state);
  setHandler(progressSignal, ({ operation, events }) => applyProgress(operation, events));

  setHandler(setTopologyUpdate, ({ topology, hosts }: { topology: Topology; hosts: HostInfo[] }) => {
    state.topology = topology;
    state.hosts = hosts;
    touch();
    return { status: state.status, version: state.version };
  }, {
    validator: ({ topology }) => {
      if (topology.name !== state.name) {
        throw new Error(`topology is for lab "${topology.name}", not "${state.name}"`);
      }
      if (state.current) {
        throw new Error(`lab "${state.name}" is busy: a ${state.current.kind} is running (${state.current.workflowId}); change the topology when it has finished`);
      }
    },
  });

  setHandler(deployUpdate, async (args) => {
    if (args?.topology && !state.current) { state.topology = args.topology; touch(); }
    if (args?.hosts && !state.current) { state.hosts = args.hosts; touch(); }
    return startOperation('deploy');
  }, {
    validator: (args) => {
      refuseWhileBusy('deploy');
      if (!state.topology && !args?.topology) throw new Error(`lab "${state.name}" has no topology: create it first`);
      if (args?.topology && args.topology.name !== state.name) throw new Error(`topology is for lab "${args.topology.name}", not "${state.name}"`);
    },
  });

  setHandler(destroyUpdate, async () => startOperation('destroy'), {
    validator: () => {
      refuseWhileBusy('destroy');
    },
  });

  let removed = false;
  setHandler(removeUpdate, () => { removed = true; }, {
    validator: () => {
      if (state.current) throw new Error(`lab "${state.name}" is busy: a ${state.current.kind} is running; destroy it and wait before removing`);
      if (!['defined', 'destroyed'].includes(state.status)) {
        throw new Error(`lab "${state.name}" is ${state.status}: destroy it first`);
      }
    },
  });

  upsertSearchAttributes([{ key: LabNameKey, value: state.name }, { key: OperationKey, value: 'lab' }]);

  // Live until removed; keep the history bounded by continuing as new when the server suggests it.
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;
  await condition(() => removed || (historyFull() && !state.current));
  if (running) await running.catch(() => undefined);
  await condition(allHandlersFinished);
  if (removed) return;
  await continueAsNew<typeof labWorkflow>({ name: state.name, state, historyLimit: input.historyLimit });
}
