// Reads what really exists on this host (Docker, OVS, kernel links) for assertions, and runs
// commands inside lab containers. Test-only; argument arrays, no shell strings.
import { execa } from 'execa';
import { labIdOf } from '../../lab/plan';

export async function labContainers(lab: string): Promise<string[]> {
  const { stdout } = await execa('docker', ['ps', '-a', '--filter', `label=archetype.lab=${lab}`, '--format', '{{.Names}}']);
  return stdout.split('\n').filter(Boolean).sort();
}

export async function labNetworks(lab: string): Promise<string[]> {
  const { stdout } = await execa('docker', ['network', 'ls', '--filter', `label=archetype.lab=${lab}`, '--format', '{{.Name}}']);
  return stdout.split('\n').filter(Boolean).sort();
}

/** OVS ports carrying the lab's mark, less the bridges' own internal ports. */
export async function labOvsPorts(lab: string): Promise<string[]> {
  const { stdout } = await execa('ovs-vsctl', ['--format=csv', '--no-headings', '--columns=name', 'find', 'port', `external_ids:archetype-lab=${lab}`]);
  const bridges = new Set(await labOvsBridges(lab));
  return stdout.split('\n').map((s) => s.replace(/"/g, '')).filter((p) => p && !bridges.has(p)).sort();
}

export async function labOvsBridges(lab: string): Promise<string[]> {
  const { stdout } = await execa('ovs-vsctl', ['--format=csv', '--no-headings', '--columns=name', 'find', 'bridge', `external_ids:archetype-lab=${lab}`]);
  return stdout.split('\n').map((s) => s.replace(/"/g, '')).filter(Boolean).sort();
}

/** Host-side interfaces whose name carries the lab's id (veth ends, bridges). */
export async function labHostLinks(lab: string): Promise<string[]> {
  const id = labIdOf(lab);
  const { stdout } = await execa('ip', ['-o', 'link', 'show']);
  return stdout.split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '').filter((n) => n.includes(id)).sort();
}

export async function dockerExec(container: string, args: string[], timeoutMs = 20_000): Promise<{ exitCode: number; output: string }> {
  const r = await execa('docker', ['exec', container, ...args], { reject: false, timeout: timeoutMs, all: true });
  return { exitCode: r.exitCode ?? -1, output: String(r.all ?? '') };
}

export async function canPing(container: string, address: string, count = 2): Promise<boolean> {
  const r = await dockerExec(container, ['ping', '-c', String(count), '-W', '1', address]);
  return r.exitCode === 0;
}

export async function eventually<T>(what: string, fn: () => Promise<T | false | undefined>, timeoutMs = 20_000, stepMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
