// Deploy/destroy benchmark (not a test): generated labs of 10, 20 and 50 Linux nodes in a chain
// and a ring, deployed through the running stack's API. Prints wall time per phase and per node.
//   npm start            (the stack must be up)
//   npm run bench:deploy [-- sizes=10,20 shapes=chain]
import os from 'node:os';
import { loadConfig } from '../config';
import { ApiClient, type LabView } from '../cli/api-client';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const sizes = (args.sizes ?? '10,20,50').split(',').map(Number);
const shapes = (args.shapes ?? 'chain,ring').split(',') as ('chain' | 'ring')[];
const image = args.image ?? 'archetype/busybox:latest';

function topology(name: string, n: number, shape: 'chain' | 'ring'): string {
  const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const links: string[] = [];
  for (let i = 0; i < n - 1; i++) links.push(`    - endpoints: ["${nodes[i]}:eth1", "${nodes[i + 1]}:eth2"]`);
  if (shape === 'ring' && n > 2) links.push(`    - endpoints: ["${nodes[n - 1]}:eth1", "${nodes[0]}:eth2"]`);
  return [`name: ${name}`, 'topology:', '  kinds:', `    linux: { image: ${image} }`, '  nodes:',
    ...nodes.map((x) => `    ${x}: { kind: linux }`), '  links:', ...links, ''].join('\n');
}

async function until(api: ApiClient, lab: string, workflowId: string): Promise<LabView> {
  for (;;) {
    const s = await api.lab(lab);
    const op = s.recent.find((r) => r.workflowId === workflowId);
    if (op && !s.current) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const secs = (a: string, b?: string) => (b ? (Date.parse(b) - Date.parse(a)) / 1000 : NaN);

async function main(): Promise<void> {
  const api = new ApiClient(loadConfig().apiUrl);
  console.log(`# deploy benchmark on ${os.hostname()}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log('| lab | nodes | links | deploy s | s/node | plan | images | network | nodes | links | verify | destroy s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const shape of shapes) {
    for (const n of sizes) {
      const lab = `bench-${shape}-${n}`;
      await api.putLab({ topology: topology(lab, n, shape) });
      const t0 = Date.now();
      const dep = await api.deploy(lab);
      const s = await until(api, lab, dep.workflowId);
      const deployS = (Date.now() - t0) / 1000;
      const op = s.recent.find((r) => r.workflowId === dep.workflowId)!;
      if (op.state !== 'completed') throw new Error(`${lab}: deploy ${op.state}: ${op.error?.message}`);
      const phase = (name: string) => {
        const st = op.steps.find((x) => x.step === name);
        return st ? secs(st.startedAt, st.endedAt).toFixed(2) : '-';
      };
      const t1 = Date.now();
      const des = await api.destroy(lab);
      await until(api, lab, des.workflowId);
      const destroyS = (Date.now() - t1) / 1000;
      await api.remove(lab);
      console.log(`| ${shape} | ${n} | ${s.links.length} | ${deployS.toFixed(1)} | ${(deployS / n).toFixed(2)} | ${phase('plan')} | ${phase('images')} | ${phase('network')} | ${phase('nodes')} | ${phase('links')} | ${phase('verify')} | ${destroyS.toFixed(1)} |`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
