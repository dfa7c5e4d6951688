// `archetype validate <file>`: every problem, located, or a short summary of the plan.
import { readFile } from 'fs/promises';
import * as path from 'path';
import { formatError, parseTopology } from '../lab/parse';
import { PlanError, planLab } from '../lab/plan';
import { getKind } from '../lab/kinds/index';
import type { LabPlan, TopologyError } from '../lab/types';

export interface ValidateOptions {
  json?: boolean;
  /** Host id to plan onto (default `local`). */
  host?: string;
}

export interface Output {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultOut: Output = {
  stdout: (s) => process.stdout.write(s + '\n'),
  stderr: (s) => process.stderr.write(s + '\n'),
};

export interface ValidateSummary {
  lab: string;
  labId: string;
  nodes: number;
  links: number;
  kinds: Record<string, number>;
  /** Kinds recognised and validated but not deployable yet. */
  notDeployable: string[];
  mgmt: { network: string; ipv4Subnet: string; ipv6Subnet?: string };
  placement: Record<string, string[]>;
  waves: number;
}

export function summarize(plan: LabPlan): ValidateSummary {
  const kinds: Record<string, number> = {};
  const placement: Record<string, string[]> = {};
  for (const n of plan.nodes) {
    kinds[n.kind] = (kinds[n.kind] ?? 0) + 1;
    (placement[n.host] ??= []).push(n.name);
  }
  for (const h of Object.keys(placement)) placement[h].sort();
  return {
    lab: plan.lab,
    labId: plan.labId,
    nodes: plan.nodes.length,
    links: plan.links.length,
    kinds,
    notDeployable: Object.keys(kinds).filter((k) => !getKind(k)?.deployable).sort(),
    mgmt: { network: plan.mgmt.network, ipv4Subnet: plan.mgmt.ipv4Subnet, ...(plan.mgmt.ipv6Subnet ? { ipv6Subnet: plan.mgmt.ipv6Subnet } : {}) },
    placement,
    waves: plan.nodes.reduce((m, n) => Math.max(m, n.wave + 1), 0),
  };
}

export async function validateCommand(file: string, opts: ValidateOptions = {}, out: Output = defaultOut): Promise<number> {
  const abs = path.resolve(file);
  const fail = (errors: TopologyError[], warnings: TopologyError[] = []): number => {
    if (opts.json) out.stdout(JSON.stringify({ valid: false, errors, warnings }, null, 2));
    else {
      for (const e of errors) out.stderr(formatError(e));
      for (const w of warnings) out.stderr(`warning: ${formatError(w)}`);
      out.stderr(`${errors.length} error${errors.length === 1 ? '' : 's'} in ${file}`);
    }
    return 1;
  };

  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a topology file' : (err as Error).message;
    return fail([{ file: abs, line: 0, col: 0, path: '', message: `cannot read the topology: ${why}` }]);
  }

  const result = parseTopology(text, { file: abs });
  const warnings = result.warnings ?? [];
  if (result.errors.length || !result.topology) return fail(result.errors, warnings);

  let plan: LabPlan;
  try {
    plan = planLab(result.topology, [{ id: opts.host ?? 'local' }]);
  } catch (err) {
    if (err instanceof PlanError) return fail([{ file: abs, line: 0, col: 0, path: 'plan', message: err.message }], warnings);
    throw err;
  }

  const summary = summarize(plan);
  if (opts.json) {
    out.stdout(JSON.stringify({ valid: true, errors: [], warnings, summary }, null, 2));
    return 0;
  }
  for (const w of warnings) out.stderr(`warning: ${formatError(w)}`);
  const kinds = Object.entries(summary.kinds).map(([k, n]) => `${k} ×${n}`).join(', ');
  out.stdout(`${file}: valid`);
  out.stdout(`lab:       ${summary.lab} (id ${summary.labId})`);
  out.stdout(`nodes:     ${summary.nodes} (${kinds})`);
  out.stdout(`links:     ${summary.links}`);
  out.stdout(`mgmt:      ${summary.mgmt.network} ${summary.mgmt.ipv4Subnet}${summary.mgmt.ipv6Subnet ? ` ${summary.mgmt.ipv6Subnet}` : ''}`);
  out.stdout(`waves:     ${summary.waves}`);
  for (const [host, nodes] of Object.entries(summary.placement)) out.stdout(`placement: ${host}: ${nodes.join(', ')}`);
  if (summary.notDeployable.length) {
    out.stdout(`note:      kinds not deployable yet: ${summary.notDeployable.join(', ')}`);
  }
  return 0;
}
