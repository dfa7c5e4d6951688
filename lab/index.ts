// Public surface of the lab model: parse + validate (parse.ts, uses `yaml`), plan (plan.ts, pure and
// yaml-free: workflow code should import `lab/plan` directly), kinds and name helpers.
export * from './types';
export { formatError, HOST_LABEL, parseTopology, validateTopology, type ParseOptions } from './parse';
export {
  bridgeName, containerNameOf, DEFAULT_MTU, hostIfName, labIdOf, linkIdOf, MAX_VLAN, MAX_VNI, placeNodes, PlanError,
  planLab, vniOf, type PlanOptions,
} from './plan';
export {
  describeSupportedKinds, eosInterfaceName, getKind, isDiskImagePath, KNOWN_UNSUPPORTED_KINDS, SUPPORTED_KINDS,
  unsupportedKindMessage, type KindModule,
} from './kinds/index';
export { fnv1a32, MAX_IFNAME, unsafeIfNameReason, unsafeNameReason } from './names';
export { defaultIpv4Subnet, defaultMgmtNetwork } from './mgmt';
export { computeWaves } from './waves';
