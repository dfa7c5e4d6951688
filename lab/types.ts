// The lab model's data types. Everything here is plain JSON (it travels through Temporal payloads)
// and the module imports nothing, so workflows may import it.

/** One located problem in a topology: `file:line:col: path: message`. */
export interface TopologyError {
  file: string;
  line: number; // 1-based; 0 when unknown
  col: number; // 1-based; 0 when unknown
  /** Dotted path to the field, e.g. `topology.nodes.r1.kind` or `topology.links[2].endpoints[0]`. */
  path: string;
  message: string;
}

export interface Endpoint {
  node: string;
  /** Interface name as written in the topology (e.g. `eth1`, `Ethernet1`, `eth1_1`). */
  interface: string;
  mac?: string;
  ipv4?: string; // CIDR
  ipv6?: string; // CIDR
}

export interface LinkSpec {
  type: 'veth';
  endpoints: [Endpoint, Endpoint];
  mtu?: number;
  /** Source position of the link, for error messages raised after validation. */
  line?: number;
}

export interface ExecSpec {
  command: string;
}

/** A node after inheritance (defaults ← kinds ← groups ← node) and path resolution. */
export interface NodeSpec {
  name: string;
  kind: string; // canonical kind name from the kind registry (e.g. `linux`, `ceos`)
  image: string;
  group?: string;
  /** Absolute path on the host where the topology lives. */
  startupConfig?: string;
  /** A startup configuration written inline in the topology (a multi-line `startup-config`). */
  startupConfigInline?: string;
  /** Docker-style binds `src:dst[:opts]` with `src` made absolute. */
  binds: string[];
  env: Record<string, string>;
  /** Absolute paths; read on the host when the container is created. */
  envFiles: string[];
  /** Docker-style port publications, `[ip:]hostPort:containerPort[/proto]`. */
  ports: string[];
  mgmtIpv4?: string;
  mgmtIpv6?: string;
  exec: string[];
  labels: Record<string, string>;
  cmd?: string;
  entrypoint?: string;
  user?: string;
  /** CPUs (fractional allowed). */
  cpu?: number;
  /** Memory limit in bytes. */
  memory?: number;
  /** Accepted for compatibility; Archetype owns the lifecycle and always creates with restart policy `no`. */
  restartPolicy?: string;
  networkMode?: 'bridge' | 'host' | 'none';
  /** Nodes that must be running (their stage done) before this one is created. */
  waitFor: string[];
  /** Host pin from the label `archetype.host`. */
  host?: string;
}

export interface MgmtSpec {
  network: string;
  ipv4Subnet?: string;
  ipv6Subnet?: string;
  /** `mgmt.ipv4-gw`; default: the subnet's first host address. */
  ipv4Gateway?: string;
}

/** A validated, normalised topology. `nodes` is sorted by name. */
export interface Topology {
  name: string;
  /** Container name prefix: `undefined` → default prefix; `''` → bare node names. */
  prefix?: string;
  mgmt: MgmtSpec;
  nodes: NodeSpec[];
  links: LinkSpec[];
  /** Absolute folder of the topology file (bind and config paths were resolved against it). */
  dir: string;
  /** Absolute path of the topology file. */
  file: string;
}

/** Where a topology came from decides which host paths it may reference. */
export type TopologyOrigin =
  | { kind: 'local' } // read by the operator from their own disk: any path allowed
  | { kind: 'api'; labDir: string; allowedRoots: string[] }; // only inside labDir or an allowed root

export interface ParseResult {
  topology?: Topology; // present only when errors is empty
  errors: TopologyError[];
  /** Accepted but ignored containerlab fields and similar notes; never block a deployment. */
  warnings?: TopologyError[];
}

// ---------------------------------------------------------------- planning

export interface HostInfo {
  id: string;
  /** Maximum number of nodes this host accepts; undefined = unlimited. */
  capacity?: number;
}

export interface PlannedNode {
  name: string;
  kind: string;
  host: string;
  /** Docker container name. */
  containerName: string;
  image: string;
  mgmtIpv4?: string; // address without prefix length
  mgmtIpv6?: string;
  /** Creation wave (0-based): nodes of wave N are created after every node of waves < N is running. */
  wave: number;
  spec: NodeSpec;
}

/** One end of a link as it is wired on its host. */
export interface PlannedLinkEnd {
  node: string;
  host: string;
  /** Interface as written in the topology. */
  interface: string;
  /** Interface name inside the container (kind mapping applied, at most 15 characters). */
  ifName: string;
  /** Host-side veth name: unique across labs on a host, at most 15 characters. */
  hostIf: string;
  mac?: string;
  ipv4?: string;
  ipv6?: string;
}

interface PlannedLinkBase {
  /** Stable id, e.g. `r1:eth1--r2:eth1` (endpoints sorted). */
  id: string;
  index: number;
  mtu: number;
  a: PlannedLinkEnd;
  b: PlannedLinkEnd;
}

/** Both ends on one host: two access ports with the same VLAN tag on the lab's bridge there. */
export interface LocalLink extends PlannedLinkBase {
  kind: 'local';
  host: string;
  bridge: string;
  vlan: number;
}

/** Ends on two hosts: each end an access port on its host's lab bridge, joined by a VXLAN tunnel. */
export interface VxlanLink extends PlannedLinkBase {
  kind: 'vxlan';
  vni: number;
  /** Per host: the bridge and the VLAN tag the end uses there. */
  sides: { host: string; bridge: string; vlan: number }[];
}

export type PlannedLink = LocalLink | VxlanLink;

export interface PlannedMgmt {
  /** Docker network name. */
  network: string;
  ipv4Subnet: string;
  ipv4Gateway: string;
  ipv6Subnet?: string;
}

export interface LabPlan {
  lab: string;
  /** Short deterministic id derived from the lab name; used in host-side names. */
  labId: string;
  mgmt: PlannedMgmt;
  /** The lab's OVS bridge on each host it uses. */
  bridges: { host: string; bridge: string }[];
  hosts: string[];
  nodes: PlannedNode[]; // sorted by (wave, name)
  links: PlannedLink[]; // in topology order
}
