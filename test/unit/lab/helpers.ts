import { readFile } from 'fs/promises';
import * as path from 'path';
import { parseTopology } from '../../../lab/parse';
import type { ParseResult, Topology, TopologyOrigin } from '../../../lab/types';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/topologies');

export async function parseFixture(name: string, origin?: TopologyOrigin): Promise<ParseResult> {
  const file = path.join(FIXTURES, name);
  return parseTopology(await readFile(file, 'utf8'), { file, origin });
}

/** Parse YAML text as if it were /labs/t/t.clab.yml. */
export function parse(text: string, origin?: TopologyOrigin): ParseResult {
  return parseTopology(text, { file: '/labs/t/t.clab.yml', origin });
}

export function ok(text: string, origin?: TopologyOrigin): Topology {
  const r = parse(text, origin);
  if (!r.topology) throw new Error('unexpected errors:\n' + r.errors.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`).join('\n'));
  return r.topology;
}

export function messages(text: string, origin?: TopologyOrigin): string[] {
  return parse(text, origin).errors.map((e) => `${e.path}: ${e.message}`);
}

/** A minimal valid lab with extra node/link YAML spliced in. */
export function lab(nodes: string, links = ''): string {
  return `name: t\ntopology:\n  nodes:\n${nodes}\n${links ? `  links:\n${links}\n` : ''}`;
}
