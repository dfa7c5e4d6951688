// Messages of the lab workflow and the shape of its state. Imported by workflows (deterministic code),
// the API and the CLI: no I/O, no Node built-ins here.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { HostInfo, LabPlan, Topology } from '../lab/types';

export const LabNameKey = defineSearchAttributeKey('LabName', SearchAttributeType.KEYWORD);
export const OperationKey = defineSearchAttributeKey('Operation', SearchAttributeType.KEYWORD);
export const HostIdKey = defineSearchAttributeKey('HostId', SearchAttributeType.KEYWORD);

export type LabStatus = 'defined' | 'deploying' | 'running' | 'failed' | 'destroying' | 'destroyed';
export type NodeStatus = 'pending' | 'pulling' | 'creating' | 'starting' | 'running' | 'configuring' | 'failed' | 'removed';
export type LinkStatus = 'pending' | 'wiring' | 'up' | 'failed' | 'removed';
export type OperationKind = 'deploy' | 'destroy';

export interface NodeState {
  name: string;
  kind: string;
  image: string;
  host: string;
  container: string;
  containerId?: string;
  state: NodeStatus;
  mgmtIPv4?: string;
  mgmtIPv6?: string;
  error?: string;
  /** The container whose `exec` commands have run: exec runs once per container, not on every deploy. */
  execDoneFor?: string;
}

export interface LinkState {
  id: string;
  a: { node: string; interface: string; host: string };
  b: { node: string; interface: string; host: string };
  kind: 'local' | 'vxlan';
  vlan?: number;
  vni?: number;
  state: LinkStatus;
  error?: string;
}

export interface StepRecord {
  step: string;
  state: 'running' | 'done' | 'failed';
  /** Workflow time (deterministic) at which the step started and ended. */
  startedAt: string;
  endedAt?: string;
  detail?: string;
}

export interface OperationRecord {
  kind: OperationKind;
  workflowId: string;
  runId?: string;
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
  endedAt?: string;
  steps: StepRecord[];
  error?: LabError;
}

export interface LabError {
  message: string;
  step?: string;
  node?: string;
  link?: string;
}

export interface LabState {
  name: string;
  status: LabStatus;
  /** Bumped on every change; lets pollers skip unchanged states. */
  version: number;
  topology?: Topology;
  hosts: HostInfo[];
  plan?: LabPlan;
  nodes: NodeState[];
  links: LinkState[];
  current?: OperationRecord;
  /** Most recent operations first, bounded. */
  recent: OperationRecord[];
  error?: LabError;
  /** Number of operations ever started on this lab (child workflow ids derive from it). */
  seq: number;
}

export interface LabWorkflowInput {
  name: string;
  /** State carried across continue-as-new. */
  state?: LabState;
  /** Continue as new once the history is this long (besides when the server suggests it). */
  historyLimit?: number;
}

/** Progress reported by an operation's child workflow to the lab workflow. */
export type ProgressEvent =
  | { type: 'plan'; plan: LabPlan }
  | { type: 'step'; step: string; state: StepRecord['state']; detail?: string }
  | { type: 'node'; node: string; state: NodeStatus; containerId?: string; error?: string }
  | { type: 'link'; link: string; state: LinkStatus; error?: string }
  | { type: 'exec'; node: string; containerId: string }
  | { type: 'error'; error: LabError };

export interface OperationStarted {
  kind: OperationKind;
  workflowId: string;
  runId: string;
  /** True when an identical operation was already running and this request joined it. */
  joined: boolean;
}

export const setTopologyUpdate = defineUpdate<{ status: LabStatus; version: number }, [{ topology: Topology; hosts: HostInfo[] }]>('setTopology');
export const deployUpdate = defineUpdate<OperationStarted, [{ topology?: Topology; hosts?: HostInfo[] }]>('deploy');
export const destroyUpdate = defineUpdate<OperationStarted, []>('destroy');
/** Ends the lab workflow; only allowed when nothing of the lab is deployed. */
export const removeUpdate = defineUpdate<void, []>('remove');
export const stateQuery = defineQuery<LabState>('state');
export const progressSignal = defineSignal<[{ operation: string; events: ProgressEvent[] }]>('progress');

export function labWorkflowId(name: string): string {
  return `lab:${name}`;
}

export interface DeployInput {
  lab: string;
  parentId: string;
  topology: Topology;
  hosts: HostInfo[];
  previousPlan?: LabPlan;
  /** Node → container whose exec commands already ran (from the lab state). */
  execDone?: Record<string, string>;
}

export interface DestroyInput {
  lab: string;
  parentId: string;
  /** Every host that may hold something of the lab. */
  hosts: string[];
}

export interface SmokeInput {
  hostId: string;
  token: string;
  holdMs?: number;
}
