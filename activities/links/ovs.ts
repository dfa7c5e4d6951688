// Open vSwitch through ovs-vsctl (argument arrays). One call = one atomic OVSDB transaction.
import { log, run } from '../util';

export const OVS_TIMEOUT_S = 10;

export interface VsctlResult {
  stdout: string;
  /** Exit 65: the transaction committed, but ovs-vswitchd had not applied it within the timeout. */
  pending: boolean;
}

/**
 * Runs `ovs-vsctl --timeout=10 <args>`. Exit 0 → ok. Exit 65 → the database change is committed
 * (it will be applied): reported as `pending` so the caller can wait for the result it needs
 * (e.g. an ofport). Anything else → a retryable error with ovs-vsctl's message.
 */
export async function vsctl(args: readonly string[]): Promise<VsctlResult> {
  const r = await run('ovs-vsctl', [`--timeout=${OVS_TIMEOUT_S}`, ...args], { timeoutMs: (OVS_TIMEOUT_S + 5) * 1000 });
  if (r.exitCode === 0) return { stdout: r.stdout, pending: false };
  if (r.exitCode === 65) {
    log(`ovs-vsctl ${args.join(' ')}: committed, not yet applied by ovs-vswitchd within ${OVS_TIMEOUT_S}s`);
    return { stdout: r.stdout, pending: true };
  }
  throw new Error(`ovs-vsctl ${args.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
}

/** `external_ids:k=v` settings for a `set` command. */
export function externalIds(ids: Record<string, string>): string[] {
  return Object.entries(ids).map(([k, v]) => `external_ids:${k}=${JSON.stringify(v)}`);
}

type OvsDatum = unknown;

/** Decodes one OVSDB JSON datum (`["map",[[k,v]]]`, `["set",[...]]`, `["uuid",x]`, atoms) into plain JS. */
export function datum(d: OvsDatum): unknown {
  if (!Array.isArray(d)) return d;
  const [tag, value] = d as [string, unknown];
  if (tag === 'map') return Object.fromEntries((value as [OvsDatum, OvsDatum][]).map(([k, v]) => [String(datum(k)), datum(v)]));
  if (tag === 'set') {
    const items = (value as OvsDatum[]).map(datum);
    return items.length === 0 ? undefined : items.length === 1 ? items[0] : items;
  }
  if (tag === 'uuid' || tag === 'named-uuid') return value;
  return d;
}

/** `ovs-vsctl --format=json find TABLE CONDITION...` → rows as plain objects with the requested columns. */
export async function find(table: 'bridge' | 'port' | 'interface', columns: string[], conditions: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await vsctl(['--format=json', `--columns=${columns.join(',')}`, 'find', table, ...conditions]);
  if (!stdout.trim()) return [];
  const parsed = JSON.parse(stdout) as { headings: string[]; data: OvsDatum[][] };
  return parsed.data.map((row) => Object.fromEntries(parsed.headings.map((h, i) => [h, datum(row[i])])));
}

export interface OvsInterfaceState {
  name: string;
  ofport: number;
  error?: string;
  externalIds: Record<string, string>;
  /** The bridge holding the interface's port, when it is on one. */
  bridge?: string;
  tag?: number;
}

/** The interface row named `name` and where its port is, or undefined. */
export async function interfaceState(name: string): Promise<OvsInterfaceState | undefined> {
  const rows = await find('interface', ['name', 'ofport', 'error', 'external_ids'], [`name=${name}`]);
  if (!rows.length) {
    const ports = await find('port', ['name'], [`name=${name}`]);
    if (!ports.length) return undefined;
    return { name, ofport: -1, error: 'port without interface', externalIds: {}, bridge: await portBridge(name) };
  }
  const r = rows[0];
  const ports = await find('port', ['name', 'tag'], [`name=${name}`]);
  const ofport = typeof r.ofport === 'number' ? r.ofport : -1;
  return {
    name,
    ofport,
    error: typeof r.error === 'string' ? r.error : undefined,
    externalIds: (r.external_ids as Record<string, string> | undefined) ?? {},
    bridge: ports.length ? await portBridge(name) : undefined,
    tag: ports.length && typeof ports[0].tag === 'number' ? (ports[0].tag as number) : undefined,
  };
}

async function portBridge(port: string): Promise<string | undefined> {
  const r = await run('ovs-vsctl', [`--timeout=${OVS_TIMEOUT_S}`, 'port-to-br', port]);
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Marks our OVS rows carry: archetype-lab, -host and, for link ends, -node and -link. */
export function ovsMark(m: { lab: string; hostId: string; node?: string; link?: string }): Record<string, string> {
  return {
    'archetype-lab': m.lab,
    'archetype-host': m.hostId,
    ...(m.node !== undefined ? { 'archetype-node': m.node } : {}),
    ...(m.link !== undefined ? { 'archetype-link': m.link } : {}),
  };
}
