// Collects a topology and the files it references (startup configs, bind sources, env files)
// under its own folder, so the API can store them in the lab's folder on the server.
import path from 'node:path';
import fs from 'node:fs/promises';
import { formatError, parseTopology } from '../lab/parse';
import { bindSource } from '../lab/paths';
import type { Topology } from '../lab/types';
import { CliError } from './api-client';

const MAX_BUNDLE_BYTES = 48 * 1024 * 1024;

export interface Bundle {
  topology: Topology;
  text: string;
  filename: string;
  files: Record<string, string>;
}

export async function bundleTopology(file: string): Promise<Bundle> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read topology ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const result = parseTopology(text, { file: abs, origin: { kind: 'local' } });
  if (!result.topology) {
    throw new CliError(`${file}: ${result.errors.length} error(s)`, result.errors.map(formatError));
  }
  const topo = result.topology;
  const dir = path.dirname(abs);
  const referenced = new Set<string>();
  for (const node of topo.nodes) {
    if (node.startupConfig) referenced.add(node.startupConfig);
    for (const f of node.envFiles) referenced.add(f);
    for (const b of node.binds) referenced.add(bindSource(b));
  }
  const files: Record<string, string> = {};
  let total = 0;
  const add = async (p: string): Promise<void> => {
    const rel = path.relative(dir, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return; // outside the lab's folder: the server decides
    let st;
    try {
      st = await fs.stat(p);
    } catch {
      throw new CliError(`${file}: referenced file ${p} does not exist`);
    }
    if (st.isDirectory()) {
      for (const entry of await fs.readdir(p)) await add(path.join(p, entry));
      return;
    }
    if (!st.isFile()) return;
    total += st.size;
    if (total > MAX_BUNDLE_BYTES) throw new CliError(`${file}: referenced files exceed ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB`);
    files[rel.split(path.sep).join('/')] = (await fs.readFile(p)).toString('base64');
  };
  for (const p of [...referenced].sort()) await add(p);
  return { topology: topo, text, filename: path.basename(abs), files };
}
