import * as path from 'path';
import { validateCommand } from '../../../cli/validate';
import { FIXTURES } from './helpers';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
}

describe('archetype validate', () => {
  test('five mistakes → five located messages, exit 1', async () => {
    const c = capture();
    const file = path.join(FIXTURES, 'five-mistakes.clab.yml');
    expect(await validateCommand(file, {}, c.io)).toBe(1);
    const located = c.err.filter((l) => /^\/.*five-mistakes\.clab\.yml:\d+:\d+: \S+: /.test(l));
    expect(located).toHaveLength(5);
    expect(c.err[c.err.length - 1]).toBe(`5 errors in ${file}`);
    expect(c.out).toEqual([]);
  });

  test('valid file → summary with placement, exit 0', async () => {
    const c = capture();
    expect(await validateCommand(path.join(FIXTURES, 'frr-triangle/frr-triangle.clab.yml'), { host: 'h1' }, c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/lab: +frr-triangle \(id [0-9a-f]{6}\)/);
    expect(text).toMatch(/nodes: +3 \(linux ×3\)/);
    expect(text).toMatch(/links: +3/);
    expect(text).toMatch(/placement: h1: r1, r2, r3/);
  });

  test('--json', async () => {
    const c = capture();
    expect(await validateCommand(path.join(FIXTURES, 'ceos.clab.yml'), { json: true }, c.io)).toBe(0);
    const j = JSON.parse(c.out.join('\n'));
    expect(j.valid).toBe(true);
    expect(j.errors).toEqual([]);
    expect(j.summary).toMatchObject({ lab: 'ceos-pair', nodes: 3, links: 4, kinds: { ceos: 2, linux: 1 }, notDeployable: ['ceos'], placement: { local: ['ceos1', 'ceos2', 'client'] } });

    const c2 = capture();
    expect(await validateCommand(path.join(FIXTURES, 'unsupported-kind.clab.yml'), { json: true }, c2.io)).toBe(1);
    const j2 = JSON.parse(c2.out.join('\n'));
    expect(j2.valid).toBe(false);
    expect(j2.errors[0]).toMatchObject({ line: 7, col: 13, path: 'topology.nodes.srl1.kind' });
    expect(j2.summary).toBeUndefined();
  });

  test('missing file and plan errors are reported, not thrown', async () => {
    const c = capture();
    expect(await validateCommand(path.join(FIXTURES, 'nope.clab.yml'), {}, c.io)).toBe(1);
    expect(c.err[0]).toMatch(/nope\.clab\.yml: cannot read the topology: no such file/);
    const c2 = capture();
    expect(await validateCommand(FIXTURES, {}, c2.io)).toBe(1);
  });
});

test('plan errors (pinned to an unknown host) exit 1 with the reason', async () => {
  const c = capture();
  expect(await validateCommand(path.join(FIXTURES, 'pinned-unknown-host.clab.yml'), {}, c.io)).toBe(1);
  expect(c.err[0]).toMatch(/pinned-unknown-host\.clab\.yml: plan: node "n1" is pinned to host "far-away"/);
});
