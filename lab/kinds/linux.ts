import { unsafeIfNameReason } from '../names';
import type { KindModule } from './kind';

/** `linux`: any image; interfaces are ordinary Linux names other than the management `eth0`. */
export const linuxKind: KindModule = {
  name: 'linux',
  aliases: [],
  deployable: true,
  requiresImage: true,
  interfaceHint: 'a Linux interface name of at most 15 characters from [A-Za-z0-9_.-], other than eth0 and lo',
  validateInterface(name) {
    const r = unsafeIfNameReason(name);
    if (r) return r;
    if (name === 'eth0') return 'eth0 is the management interface and cannot be used in a link';
    if (name === 'lo') return 'lo is the loopback interface and cannot be used in a link';
    return undefined;
  },
  containerInterfaceName: (name) => name,
  defaultEnv: {},
};
