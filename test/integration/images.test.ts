// The local images built by scripts/images.sh: cached by recipe hash, and usable as lab nodes.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { execa } from 'execa';
import { dexec, eventually } from '../helpers/docker';

const ROOT = path.resolve(__dirname, '..', '..');
const uid = Date.now().toString(36).slice(-5);
const frrName = `arch-img-frr-${uid}`;
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'archetype-img-'));
});
afterAll(async () => {
  await execa('docker', ['rm', '-f', frrName], { reject: false });
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

test('images.sh is cached: a second run builds nothing and says so', async () => {
  const r = await execa('bash', [path.join(ROOT, 'scripts', 'images.sh')], { all: true, timeout: 300_000 });
  const again = await execa('bash', [path.join(ROOT, 'scripts', 'images.sh')], { all: true, timeout: 60_000 });
  expect(r.exitCode).toBe(0);
  expect(again.all).toMatch(/archetype\/busybox:latest: up to date \(recipe [0-9a-f]{12}\)/);
  expect(again.all).toMatch(/archetype\/frr:latest: up to date \(recipe [0-9a-f]{12}\)/);
  for (const image of ['archetype/busybox:latest', 'archetype/frr:latest']) {
    const { stdout } = await execa('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "archetype.recipe"}}', image]);
    expect(stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  }
}, 320_000);

test('archetype/busybox has sh, ip, ping and nc, and sleeps by default', async () => {
  const { stdout } = await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Cmd}}', 'archetype/busybox:latest']);
  expect(JSON.parse(stdout)).toEqual(['sleep', 'infinity']);
  const r = await execa('docker', ['run', '--rm', '--network', 'none', 'archetype/busybox:latest', 'sh', '-c',
    'ip -o link show lo && ping -c1 -W1 127.0.0.1 >/dev/null && nc --help 2>&1 | grep -q "nc " && grep -q ^root: /etc/passwd && echo ok'], { all: true });
  expect(r.all).toMatch(/ok$/);
});

test('archetype/frr starts the daemons enabled in /etc/frr/daemons and vtysh works', async () => {
  const daemons = path.join(tmp, 'daemons');
  const { stdout: stock } = await execa('docker', ['run', '--rm', '--entrypoint', 'cat', 'archetype/frr:latest', '/etc/frr/daemons']);
  await fs.writeFile(daemons, stock.replace(/^bgpd=no$/m, 'bgpd=yes'));
  await fs.writeFile(path.join(tmp, 'frr.conf'), 'frr defaults datacenter\nhostname r1\n!\nrouter bgp 65001\n bgp router-id 10.255.0.1\n!\n');
  await execa('docker', ['run', '-d', '--name', frrName, '--network', 'none', '--cap-add', 'NET_ADMIN', '--cap-add', 'SYS_ADMIN', '--cap-add', 'NET_RAW',
    '-v', `${daemons}:/etc/frr/daemons`, '-v', `${path.join(tmp, 'frr.conf')}:/etc/frr/frr.conf`, 'archetype/frr:latest']);
  const config = await eventually('bgpd to run the mounted configuration', async () => {
    const r = await dexec(frrName, ['vtysh', '-c', 'show running-config']);
    return r.exitCode === 0 && /router bgp 65001/.test(r.output) ? r.output : undefined;
  }, 30_000);
  expect(config).toMatch(/bgp router-id 10\.255\.0\.1/);
  expect((await dexec(frrName, ['vtysh', '-c', 'show bgp summary'])).exitCode).toBe(0);
  const ps = await dexec(frrName, ['ps', 'ax']);
  expect(ps.output).toMatch(/watchfrr/);
  expect(ps.output).toMatch(/bgpd/);
  const t0 = Date.now();
  await execa('docker', ['stop', '-t', '10', frrName]);
  expect(Date.now() - t0).toBeLessThan(8000); // PID 1 handles SIGTERM
}, 60_000);
