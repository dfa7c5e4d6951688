// Kind registry: one module per kind.
import { ceosKind, eosInterfaceName } from './ceos';
import type { KindModule } from './kind';
import { linuxKind } from './linux';
import { isDiskImagePath, qemuKind } from './qemu';

export type { KindModule } from './kind';
export { eosInterfaceName, isDiskImagePath };

const MODULES: KindModule[] = [linuxKind, ceosKind, qemuKind];

/** Canonical names of the kinds Archetype recognises. */
export const SUPPORTED_KINDS: string[] = MODULES.map((m) => m.name);

/** Kinds containerlab knows that Archetype does not support (yet): refused with a clear message. */
export const KNOWN_UNSUPPORTED_KINDS: string[] = [
  'bridge', 'ovs-bridge', 'host', 'ext-container', 'k8s-kind',
  'nokia_srlinux', 'srl', 'nokia_sros', 'vr-sros', 'vr-nokia_sros', 'nokia_srsim',
  'juniper_crpd', 'crpd', 'juniper_vmx', 'vr-vmx', 'juniper_vsrx', 'juniper_vqfx', 'vr-vqfx',
  'juniper_vjunosrouter', 'juniper_vjunosswitch', 'juniper_vjunosevolved', 'juniper_cjunosevolved',
  'cisco_xrd', 'xrd', 'cisco_xrv', 'vr-xrv', 'cisco_xrv9k', 'vr-xrv9k', 'cisco_csr1000v', 'vr-csr',
  'cisco_n9kv', 'vr-n9kv', 'cisco_c8000', 'cisco_c8000v', 'cisco_cat9kv', 'cisco_iol', 'cisco_ftdv', 'cisco_ftd',
  'arista_veos', 'vr-veos', 'sonic-vs', 'sonic-vm', 'dell_sonic', 'dell_ftosv', 'vr-ftosv',
  'cvx', 'cumulus_cvx', 'mikrotik_ros', 'vr-ros', 'fortinet_fortigate', 'paloalto_panos', 'vr-pan',
  'checkpoint_cloudguard', 'ipinfusion_ocnos', 'keysight_ixia-c-one', 'openbsd', 'freebsd', 'generic_vm',
  'huawei_vrp', '6wind_vsr', 'aruba_aoscx', 'openwrt', 'rare', 'linux_vm', 'vyosnetworks_vyos', 'fdio_vpp',
  'frr', 'cisco_asav', 'ciena_saos', 'f5_bigip-ve', 'nvidia_cumulusvx', 'arrcus_arcos', 'ostinato', 'k8s_kind',
];

const BY_NAME = new Map<string, KindModule>();
for (const m of MODULES) {
  BY_NAME.set(m.name, m);
  for (const a of m.aliases) BY_NAME.set(a, m);
}

/** The kind module for a canonical name or alias. */
export function getKind(name: string): KindModule | undefined {
  return BY_NAME.get(name);
}

/** `linux, ceos (alias arista_ceos), qemu`, for messages. */
export function describeSupportedKinds(): string {
  return MODULES.map((m) => (m.aliases.length ? `${m.name} (alias ${m.aliases.join(', ')})` : m.name)).join(', ');
}

/** Why `kind` is refused, or `undefined` when it is supported. */
export function unsupportedKindMessage(kind: string): string | undefined {
  if (BY_NAME.has(kind)) return undefined;
  if (KNOWN_UNSUPPORTED_KINDS.includes(kind)) {
    return `kind "${kind}" is a containerlab kind that Archetype does not support yet; supported kinds: ${describeSupportedKinds()}`;
  }
  return `unknown kind "${kind}"; supported kinds: ${describeSupportedKinds()}`;
}
