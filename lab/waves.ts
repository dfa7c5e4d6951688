// Creation order from `wait-for`: a DAG whose longest-path depth is a node's wave.

export interface WaveResult {
  waves: Map<string, number>;
  /** `wait-for` entries naming nodes that do not exist. */
  unknown: { node: string; dep: string }[];
  /** One dependency cycle, as a path that starts and ends at the same node. */
  cycle?: string[];
}

export function computeWaves(nodes: readonly { name: string; waitFor: readonly string[] }[]): WaveResult {
  const deps = new Map<string, string[]>();
  for (const n of nodes) deps.set(n.name, []);
  const unknown: { node: string; dep: string }[] = [];
  for (const n of nodes) {
    for (const d of n.waitFor) {
      if (deps.has(d)) deps.get(n.name)!.push(d);
      else unknown.push({ node: n.name, dep: d });
    }
  }
  const waves = new Map<string, number>();
  const state = new Map<string, 'visiting' | 'done'>();
  let cycle: string[] | undefined;
  const stack: string[] = [];

  const visit = (name: string): number => {
    const s = state.get(name);
    if (s === 'done') return waves.get(name)!;
    if (s === 'visiting') {
      if (!cycle) cycle = [...stack.slice(stack.indexOf(name)), name];
      return 0;
    }
    state.set(name, 'visiting');
    stack.push(name);
    let w = 0;
    for (const d of deps.get(name)!) w = Math.max(w, visit(d) + 1);
    stack.pop();
    state.set(name, 'done');
    waves.set(name, w);
    return w;
  };
  for (const n of [...nodes].map((x) => x.name).sort()) visit(n);
  return { waves, unknown, cycle };
}
