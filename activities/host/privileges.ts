// Whether containers can run `--privileged` on this host, and the HostConfig fragment to use.
//
// Docker's --privileged grants every capability Docker knows of; when the host's (or the enclosing
// container's) capability bounding set lacks one of them, e.g. CAP_SYS_RESOURCE, runc fails to
// start the container ("operation not permitted" applying capabilities). The fallback grants
// every capability the bounding set does contain, with seccomp and AppArmor unconfined: what a
// network OS needs (NET_ADMIN, SYS_ADMIN, raw sockets, sysctls in its namespace) without the
// missing ones, and /proc/sys writable (no masked or read-only system paths, as with --privileged).
// Device access (/dev of the host) is not part of the fallback.
import fs from 'node:fs/promises';
import { log } from '../util';

/** Linux capability numbers → names (include/uapi/linux/capability.h). */
export const CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** The capabilities Docker's --privileged grants (Docker 20.10+: every one it knows, 0..40). */
const PRIVILEGED_NEEDS = CAPABILITIES;

/** Decodes a `/proc/<pid>/status` capability mask (hex) into capability names, lowest bit first. */
export function decodeCapabilities(hexMask: string): string[] {
  const mask = BigInt(`0x${hexMask.trim()}`);
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if ((mask >> BigInt(bit)) & 1n) names.push(CAPABILITIES[bit] ?? `CAP_${bit}`);
  }
  return names;
}

export interface PrivilegeInfo {
  /** True when the bounding set holds every capability --privileged grants. */
  privileged: boolean;
  /** Capabilities in this process's bounding set (the most a container can get). */
  bounding: string[];
  /** Capabilities --privileged would need that the bounding set lacks. */
  missing: string[];
}

export type PrivilegesFragment =
  | { Privileged: true }
  | { Privileged: false; CapAdd: string[]; SecurityOpt: string[]; MaskedPaths: string[]; ReadonlyPaths: string[] };

let detected: Promise<PrivilegeInfo> | undefined;
let fallbackLogged = false;

async function detect(statusFile: string): Promise<PrivilegeInfo> {
  const status = await fs.readFile(statusFile, 'utf8');
  const line = status.split('\n').find((l) => l.startsWith('CapBnd:'));
  if (!line) return { privileged: true, bounding: [...CAPABILITIES], missing: [] };
  const bounding = decodeCapabilities(line.slice('CapBnd:'.length));
  const have = new Set(bounding);
  const missing = PRIVILEGED_NEEDS.filter((c) => !have.has(c));
  return { privileged: missing.length === 0, bounding, missing };
}

/**
 * Detected once per process. The bounding set of the host worker is the one dockerd gets when they
 * run in the same environment (the usual case: both started on the host, or in the same container).
 * ARCHETYPE_PRIVILEGED=0|1 overrides the detection.
 */
export function privilegeInfo(statusFile = '/proc/self/status'): Promise<PrivilegeInfo> {
  detected ??= detect(statusFile).catch((err) => {
    detected = undefined;
    throw err;
  });
  return detected;
}

/** The HostConfig fragment that gives a container every privilege this host allows. */
export async function privilegedHostConfig(): Promise<PrivilegesFragment> {
  const override = process.env.ARCHETYPE_PRIVILEGED;
  const info = await privilegeInfo();
  const privileged = override === '1' ? true : override === '0' ? false : info.privileged;
  if (privileged) return { Privileged: true };
  if (!fallbackLogged) {
    fallbackLogged = true;
    log(`--privileged is not possible on this host (capability bounding set lacks ${info.missing.join(', ') || 'nothing, but ARCHETYPE_PRIVILEGED=0'}): `
      + `containers get the ${info.bounding.length} capabilities the host has, seccomp and AppArmor unconfined`);
  }
  // Empty MaskedPaths/ReadonlyPaths = `--security-opt systempaths=unconfined` (a CLI-side option):
  // without it /proc/sys is read-only and a network OS cannot set its own net.* sysctls.
  return {
    Privileged: false, CapAdd: [...info.bounding], SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    MaskedPaths: [], ReadonlyPaths: [],
  };
}

/** For tests. */
export function resetPrivilegeDetection(): void {
  detected = undefined;
  fallbackLogged = false;
}
