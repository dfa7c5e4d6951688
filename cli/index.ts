// `archetype` command line.
import { Command } from 'commander';
import { loadConfig } from '../config';
import { ApiClient, CliError } from './api-client';
import { deployCommand, destroyCommand, inspectCommand, stdio } from './commands';
import { bundleTopology } from './bundle';
import { validateCommand } from './validate';
import { smokeCommand } from './smoke';

export async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const program = new Command('archetype')
    .description('Network labs (containerlab topologies) deployed as durable Temporal workflows')
    .option('--api <url>', 'Archetype API URL', config.apiUrl)
    .exitOverride();
  let code = 0;
  const api = () => new ApiClient(program.opts().api as string);

  program.command('validate')
    .argument('<file>', 'topology file (containerlab YAML)')
    .option('--json', 'machine-readable output')
    .option('--host <id>', 'host to plan onto', config.hostId)
    .description('check a topology and print every problem, or a summary of the plan')
    .action(async (file: string, opts: { json?: boolean; host?: string }) => {
      code = await validateCommand(file, { json: opts.json, host: opts.host } as Parameters<typeof validateCommand>[1]);
    });

  program.command('deploy')
    .requiredOption('-t, --topo <file>', 'topology file')
    .option('--no-wait', 'return once the deploy has started')
    .description('create or update the lab and deploy it, printing progress')
    .action(async (opts: { topo: string; wait: boolean }) => {
      code = await deployCommand(api(), opts.topo, { wait: opts.wait });
    });

  program.command('destroy')
    .argument('[lab]', 'lab name')
    .option('-t, --topo <file>', 'topology file (instead of a lab name)')
    .option('--no-wait', 'return once the destroy has started')
    .option('--remove', 'also forget the lab (its workflow ends, its files are deleted)')
    .description('remove everything the lab made on every host')
    .action(async (lab: string | undefined, opts: { topo?: string; wait: boolean; remove?: boolean }) => {
      const name = lab ?? (opts.topo ? (await bundleTopology(opts.topo)).topology.name : undefined);
      if (!name) throw new CliError('name a lab or pass -t <file>');
      code = await destroyCommand(api(), name, { wait: opts.wait, remove: !!opts.remove });
    });

  program.command('inspect')
    .argument('[lab]', 'lab name (all labs when omitted)')
    .option('--json', 'machine-readable output')
    .description('show nodes and links of a lab, or list labs')
    .action(async (lab: string | undefined, opts: { json?: boolean }) => {
      code = await inspectCommand(api(), lab, { json: !!opts.json });
    });

  program.command('smoke')
    .option('--host <id>', 'host whose worker runs the smoke activity', config.hostId)
    .description('run the smoke workflow: a labelled container and an OVS bridge, created and removed on a host')
    .action(async (opts: { host: string }) => {
      code = await smokeCommand(config, opts.host);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code?.startsWith('commander.')) return e.exitCode ?? 1;
    if (err instanceof CliError) {
      stdio.stderr(`error: ${err.message}`);
      for (const d of err.details) stdio.stderr(`  ${d}`);
      return 1;
    }
    stdio.stderr(`error: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
