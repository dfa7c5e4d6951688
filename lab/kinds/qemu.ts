import type { KindModule } from './kind';

/** `qemu`: a VM from a disk image (a path, resolved like binds) or a docker-style image reference. */
export const qemuKind: KindModule = {
  name: 'qemu',
  aliases: [],
  deployable: false,
  requiresImage: true,
  interfaceHint: 'ethN with N ≥ 1 (eth0 is management)',
  validateInterface(name) {
    const m = /^eth([1-9]\d{0,3})$/.exec(name);
    if (!m) return name === 'eth0' ? 'eth0 is the management interface and cannot be used in a link' : 'is not a VM interface name';
    return undefined;
  },
  containerInterfaceName: (name) => name,
  defaultEnv: {},
};

/** Whether a qemu `image` names a disk image file rather than a registry reference. */
export function isDiskImagePath(image: string): boolean {
  return image.startsWith('/') || image.startsWith('./') || image.startsWith('../') || /\.(qcow2|img|raw|vmdk|iso)$/i.test(image);
}
