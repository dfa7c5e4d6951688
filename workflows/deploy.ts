// Deploy: plan → ensure images → management network and lab bridge → create and start nodes (wave
// by wave, bounded parallelism) → wire links → exec → verify every link end → running.
// Every step is an idempotent activity on the host that owns it, so a retried or re-run deploy
// continues where the last one stopped.
import { ApplicationFailure, getExternalWorkflowHandle, patched, workflowInfo } from '@temporalio/workflow';
import { planLab, PlanError } from '../lab/plan';
import type { LabPlan, PlannedLink, PlannedLinkEnd, PlannedNode } from '../lab/types';
import { progressSignal, type DeployInput, type ProgressEvent } from './defs';
import { mapLimit, onHost } from './host-activities';

const NODE_PARALLELISM = 8;
const LINK_PARALLELISM = 16;

export interface DeployResult {
  lab: string;
  nodes: { name: string; host: string; containerId: string }[];
  links: number;
}

export async function deployWorkflow(input: DeployInput): Promise<DeployResult> {
  const parent = getExternalWorkflowHandle(input.parentId);
  const operation = workflowInfo().workflowId;
  let errorReported = false;
  const report = async (...events: ProgressEvent[]) => {
    if (events.some((e) => e.type === 'error')) errorReported = true;
    await parent.signal(progressSignal, { operation, events });
  };

  let currentStep = 'plan';
  const step = async <T>(name: string, fn: () => Promise<T>, detail?: string): Promise<T> => {
    currentStep = name;
    await report({ type: 'step', step: name, state: 'running', detail });
    try {
      const result = await fn();
      await report({ type: 'step', step: name, state: 'done', detail });
      return result;
    } catch (err) {
      await report({ type: 'step', step: name, state: 'failed', detail: failureMessage(err) });
      throw err;
    }
  };

  // 1. plan (pure, deterministic)
  let plan: LabPlan;
  try {
    plan = planLab(input.topology, input.hosts, { existing: input.previousPlan });
  } catch (err) {
    if (err instanceof PlanError) {
      await report({ type: 'error', error: { step: 'plan', message: err.message } });
      throw ApplicationFailure.nonRetryable(err.message, 'PlanError');
    }
    throw err;
  }
  await report({ type: 'plan', plan }, { type: 'step', step: 'plan', state: 'done', detail: `${plan.nodes.length} nodes, ${plan.links.length} links on ${plan.hosts.join(', ')}` });

  const pids = new Map<string, number>();
  const containerIds = new Map<string, string>();

  const failNode = async (node: PlannedNode, stepName: string, err: unknown): Promise<never> => {
    const message = failureMessage(err);
    await report(
      { type: 'node', node: node.name, state: 'failed', error: `${stepName}: ${message}` },
      { type: 'error', error: { step: stepName, node: node.name, message: `node ${node.name} on ${node.host}: ${message}` } },
    );
    throw err;
  };

  try {
    // 2. images: once per (host, image)
    const images = uniq(plan.nodes.map((n) => `${n.host}\u0000${n.image}`)).map((k) => k.split('\u0000') as [string, string]);
    await step('images', () => mapLimit(images, 4, async ([host, image]) => {
      try {
        await onHost(host).ensureImage({ image });
      } catch (err) {
        const users = plan.nodes.filter((n) => n.host === host && n.image === image);
        await report(...users.map((n): ProgressEvent => ({ type: 'node', node: n.name, state: 'failed', error: `image: ${failureMessage(err)}` })),
          { type: 'error', error: { step: 'images', node: users[0]?.name, message: failureMessage(err) } });
        throw err;
      }
    }), `${images.length} image(s)`);

    // 3. management network and the lab's bridge on every host
    await step('network', () => mapLimit(plan.hosts, 4, async (host) => {
      await onHost(host).ensureMgmtNetwork({ lab: plan.lab, hostId: host, mgmt: plan.mgmt });
      const bridge = plan.bridges.find((b) => b.host === host);
      if (bridge) await onHost(host).ensureBridge({ lab: plan.lab, hostId: host, bridge: bridge.bridge });
    }));

    // 4. nodes, wave by wave (wait-for), bounded parallelism
    const waves = uniq(plan.nodes.map((n) => n.wave)).sort((a, b) => a - b);
    await step('nodes', async () => {
      for (const wave of waves) {
        await mapLimit(plan.nodes.filter((n) => n.wave === wave), NODE_PARALLELISM, async (node) => {
          const acts = onHost(node.host);
          await report({ type: 'node', node: node.name, state: 'creating' });
          const created = await acts.createNode({ lab: plan.lab, hostId: node.host, node, mgmt: plan.mgmt })
            .catch((err) => failNode(node, 'create', err));
          containerIds.set(node.name, created.containerId);
          await report({ type: 'node', node: node.name, state: 'starting', containerId: created.containerId });
          const started = await acts.startNode({ lab: plan.lab, node: node.containerName })
            .catch((err) => failNode(node, 'start', err));
          pids.set(node.name, started.pid);
          await report({ type: 'node', node: node.name, state: 'running' });
        });
      }
    }, `${plan.nodes.length} node(s) in ${waves.length} wave(s)`);

    // 5. links: each end wired on its own host
    await step('links', () => mapLimit(plan.links, LINK_PARALLELISM, async (link) => {
      await report({ type: 'link', link: link.id, state: 'wiring' });
      try {
        await Promise.all([link.a, link.b].map((end) => wireEnd(plan, link, end, pids)));
      } catch (err) {
        const message = failureMessage(err);
        await report({ type: 'link', link: link.id, state: 'failed', error: message },
          { type: 'error', error: { step: 'links', link: link.id, message: `link ${link.id}: ${message}` } });
        throw err;
      }
    }), `${plan.links.length} link(s)`);

    // 6. exec commands from the topology: once per container (a redeploy of a running lab does not
    //    run them again; a re-created container gets them again).
    //    (patched: deploys started before this change replay with their original behaviour.)
    const execOnce = patched('exec-once-per-container');
    const withExec = plan.nodes.filter((n) => n.spec.exec.length > 0 && (!execOnce || input.execDone?.[n.name] !== containerIds.get(n.name)));
    if (withExec.length) {
      await step('exec', () => mapLimit(withExec, NODE_PARALLELISM, async (node) => {
        if (execOnce) await report({ type: 'node', node: node.name, state: 'configuring' });
        await onHost(node.host).execNode({ lab: plan.lab, node: node.containerName, commands: node.spec.exec })
          .catch((err) => failNode(node, 'exec', err));
        if (execOnce) await report({ type: 'exec', node: node.name, containerId: containerIds.get(node.name)! }, { type: 'node', node: node.name, state: 'running' });
      }), execOnce ? `${withExec.length} node(s)` : undefined);
    }

    // 7. verify both ends of every link are up
    await step('verify', () => mapLimit(plan.links, LINK_PARALLELISM, async (link) => {
      const ends = await Promise.all([link.a, link.b].map((end) => onHost(end.host).linkEndStatus({
        end, pid: pids.get(end.node)!, bridge: bridgeOf(plan, end.host),
      })));
      const down = ends.map((s, i) => ({ s, end: i === 0 ? link.a : link.b }))
        .filter(({ s }) => !(s.hostUp && s.innerUp && s.inOvs));
      if (down.length) {
        const message = `link ${link.id}: ${down.map(({ end, s }) => `${end.node}:${end.interface} not up (host side ${s.hostUp ? 'up' : 'down'}, container side ${s.innerUp ? 'up' : 'down'}, ${s.inOvs ? 'on bridge' : 'not on bridge'})`).join('; ')}`;
        await report({ type: 'link', link: link.id, state: 'failed', error: message });
        throw ApplicationFailure.nonRetryable(message, 'LinkDown');
      }
      await report({ type: 'link', link: link.id, state: 'up' });
    }));
  } catch (err) {
    // Make sure the lab state names the step even when the failure came from outside a node or link
    // (a node's or link's own report, with its name, is kept).
    if (!errorReported) await report({ type: 'error', error: { step: currentStep, message: failureMessage(err) } }).catch(() => undefined);
    throw err;
  }

  return {
    lab: plan.lab,
    nodes: plan.nodes.map((n) => ({ name: n.name, host: n.host, containerId: containerIds.get(n.name) ?? '' })),
    links: plan.links.length,
  };
}

function bridgeOf(plan: LabPlan, host: string): string {
  const bridge = plan.bridges.find((b) => b.host === host);
  if (!bridge) throw ApplicationFailure.nonRetryable(`plan has no bridge for host ${host}`, 'PlanError');
  return bridge.bridge;
}

async function wireEnd(plan: LabPlan, link: PlannedLink, end: PlannedLinkEnd, pids: Map<string, number>): Promise<void> {
  if (link.kind !== 'local') {
    // The plan already shapes cross-host links (VXLAN + VNI); wiring them lands with multi-host support.
    throw ApplicationFailure.nonRetryable(`link ${link.id} spans hosts ${link.a.host} and ${link.b.host}; multi-host links are not supported yet`, 'PlanError');
  }
  await onHost(end.host).wireLinkEnd({
    lab: plan.lab, hostId: end.host, bridge: bridgeOf(plan, end.host), vlan: link.vlan, linkId: link.id,
    end, mtu: link.mtu, pid: pids.get(end.node)!,
  });
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function failureMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let message = e?.message ?? String(err);
  while (e?.cause) {
    e = e.cause as { message?: string; cause?: unknown };
    if (e?.message) message = e.message;
  }
  return message;
}
