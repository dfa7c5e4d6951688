import type { KindModule } from './kind';

// cEOS names its data-plane interfaces ethN (or ethN_M for breakout ports) in Linux; EOS shows them
// as EthernetN / EthernetN/M. Topologies may use ethN, etN, EthernetN and the `_`/`/` forms.
const FORMS: RegExp[] = [/^eth(\d+)(?:_(\d+))?$/, /^et(\d+)(?:_(\d+))?$/, /^Ethernet(\d+)(?:\/(\d+))?$/];

function parseCeos(name: string): [number, number | undefined] | undefined {
  for (const re of FORMS) {
    const m = re.exec(name);
    if (m) {
      const port = Number(m[1]);
      const sub = m[2] === undefined ? undefined : Number(m[2]);
      if (/^0\d/.test(m[1]) || (m[2] !== undefined && /^0\d/.test(m[2]))) return undefined;
      return [port, sub];
    }
  }
  return undefined;
}

/** EOS's own name of a cEOS interface: `eth1_1` → `Ethernet1/1`, `et3` → `Ethernet3`. */
export function eosInterfaceName(name: string): string | undefined {
  const p = parseCeos(name);
  if (!p) return undefined;
  return p[1] === undefined ? `Ethernet${p[0]}` : `Ethernet${p[0]}/${p[1]}`;
}

function ceosLinuxName(p: [number, number | undefined]): string {
  return p[1] === undefined ? `eth${p[0]}` : `eth${p[0]}_${p[1]}`;
}

export const ceosKind: KindModule = {
  name: 'ceos',
  aliases: ['arista_ceos'],
  deployable: false,
  requiresImage: true,
  interfaceHint: 'ethN, etN or EthernetN (N ≥ 1), or the breakout forms ethN_M / EthernetN/M',
  validateInterface(name) {
    const p = parseCeos(name);
    if (!p) return 'is not a cEOS interface name';
    if (p[0] < 1 || (p[1] !== undefined && p[1] < 1)) return 'cEOS interfaces are numbered from 1 (eth0 is management)';
    if (ceosLinuxName(p).length > 15) return 'is too long once mapped to its Linux name';
    return undefined;
  },
  containerInterfaceName(name) {
    const p = parseCeos(name);
    return p ? ceosLinuxName(p) : name;
  },
  defaultEnv: {
    CEOS: '1',
    EOS_PLATFORM: 'ceoslab',
    container: 'docker',
    ETBA: '1',
    SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT: '1',
    INTFTYPE: 'eth',
    MAPETH0: '1',
    MGMT_INTF: 'eth0',
  },
  defaultCmd:
    '/sbin/init systemd.setenv=INTFTYPE=eth systemd.setenv=ETBA=1 systemd.setenv=SKIP_ZEROTOUCH_BARRIER_IN_SYSDBINIT=1 systemd.setenv=CEOS=1 systemd.setenv=EOS_PLATFORM=ceoslab systemd.setenv=container=docker systemd.setenv=MGMT_INTF=eth0',
};
