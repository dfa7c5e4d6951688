// containerlab topology files → validated, normalised `Topology`, with every problem located.
// Pure (no I/O): the caller reads the file. The only library used is `yaml`, for source positions.
// The planner must not import this module (workflows must stay free of `yaml`).
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { isMac, parseCidr4, parseCidr6 } from './ip';
import { getKind, isDiskImagePath, type KindModule, unsupportedKindMessage } from './kinds/index';
import { allocateMgmt, defaultMgmtNetwork } from './mgmt';
import { closest, unsafeIfNameReason, unsafeNameReason } from './names';
import { dirnamePath, isAbsolutePath, isInsidePath, normalizePath, resolvePath } from './paths';
import type { Endpoint, LinkSpec, NodeSpec, ParseResult, Topology, TopologyError, TopologyOrigin } from './types';
import { computeWaves } from './waves';

/** The label that pins a node to a host. */
export const HOST_LABEL = 'archetype.host';

export function formatError(e: TopologyError): string {
  const loc = e.line > 0 ? `${e.file}:${e.line}:${e.col}` : e.file;
  return e.path ? `${loc}: ${e.path}: ${e.message}` : `${loc}: ${e.message}`;
}

// ---------------------------------------------------------------- located values

/** A YAML node as far as we care: something with a source range. */
type YNode = { range?: [number, number, number] | null } & object;

interface Loc<T> {
  value: T;
  node: YNode | undefined;
  path: string;
}

interface Entry {
  key: string;
  keyNode: YNode | undefined;
  value: unknown; // YAML node (aliases resolved), or null/undefined for an empty value
  path: string;
}

class Ctx {
  readonly errors: TopologyError[] = [];
  readonly warnings: TopologyError[] = [];
  constructor(
    readonly file: string,
    readonly lc: LineCounter,
    readonly doc: Document,
  ) {}

  private make(node: unknown, path: string, message: string): TopologyError {
    let line = 0;
    let col = 0;
    const r = (node as YNode | undefined)?.range;
    if (r && typeof r[0] === 'number') {
      const p = this.lc.linePos(r[0]);
      line = p.line;
      col = p.col;
    }
    return { file: this.file, line, col, path, message };
  }
  error(node: unknown, path: string, message: string): void {
    this.errors.push(this.make(node, path, message));
  }
  warn(node: unknown, path: string, message: string): void {
    this.warnings.push(this.make(node, path, message));
  }
  /** Resolve aliases (once; an alias never points at another alias). */
  deref(v: unknown): unknown {
    if (isAlias(v)) {
      try {
        return v.resolve(this.doc) ?? null;
      } catch {
        return null;
      }
    }
    return v;
  }
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (isMap(v)) return 'a mapping';
  if (isSeq(v)) return 'a list';
  if (isScalar(v)) {
    const x = v.value;
    if (x === null) return 'nothing';
    if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 40 ? x.slice(0, 40) + '…' : x)}`;
    return `${typeof x} ${String(x)}`;
  }
  return 'an unknown value';
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (isScalar(v) && (v.value === null || v.value === undefined));
}

function keyString(k: unknown): string | undefined {
  if (isScalar(k)) {
    const v = k.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return undefined;
}

function isMergeKey(k: unknown): boolean {
  return isScalar(k) && (typeof k.value === 'symbol' || (k as { source?: unknown }).source === '<<');
}

/** The entries of a mapping, with `<<` merge keys applied and duplicate keys reported. */
function entries(ctx: Ctx, map: unknown, path: string, what = 'key'): Entry[] {
  const out: Entry[] = [];
  if (!isMap(map)) return out;
  const seen = new Map<string, Entry>();
  const merged: Entry[] = [];
  for (const pair of map.items) {
    const k = pair.key;
    if (isMergeKey(k)) {
      const src = ctx.deref(pair.value);
      const sources = isSeq(src) ? src.items.map((i) => ctx.deref(i)) : [src];
      for (const s of sources) {
        if (!isMap(s)) {
          ctx.error(isSeq(src) ? s : pair.value, path, `a "<<" merge key needs a mapping (or a list of mappings), got ${typeName(s)}`);
          continue;
        }
        for (const p of s.items) {
          const ks = keyString(p.key);
          if (ks !== undefined && !merged.some((m) => m.key === ks)) {
            merged.push({ key: ks, keyNode: p.key as YNode, value: ctx.deref(p.value), path: join(path, ks) });
          }
        }
      }
      continue;
    }
    const ks = keyString(k);
    if (ks === undefined) {
      ctx.error(k ?? map, path, `expected a ${what} name (a string), got ${typeName(k)}`);
      continue;
    }
    const e: Entry = { key: ks, keyNode: k as YNode, value: ctx.deref(pair.value), path: join(path, ks) };
    if (seen.has(ks)) {
      ctx.error(k, e.path, `duplicate ${what} "${ks}"; each ${what} may appear only once`);
      continue;
    }
    seen.set(ks, e);
    out.push(e);
  }
  for (const m of merged) if (!seen.has(m.key)) out.push(m);
  return out;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function str(ctx: Ctx, e: { value: unknown; path: string }, expected = 'a string'): Loc<string> | undefined {
  const v = e.value;
  if (isEmpty(v)) return undefined;
  if (isScalar(v) && typeof v.value === 'string') return { value: v.value, node: v as YNode, path: e.path };
  ctx.error(v, e.path, `expected ${expected}, got ${typeName(v)}`);
  return undefined;
}

/** Strings, numbers and booleans all read as strings (env values, labels, ports). */
function scalarText(ctx: Ctx, e: { value: unknown; path: string }, expected = 'a string'): Loc<string> | undefined {
  const v = e.value;
  if (isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean')) {
    return { value: String(v.value), node: v as YNode, path: e.path };
  }
  if (isEmpty(v)) return { value: '', node: v as YNode, path: e.path };
  ctx.error(v, e.path, `expected ${expected}, got ${typeName(v)}`);
  return undefined;
}

function list(ctx: Ctx, e: { value: unknown; path: string }, itemExpected: string): { value: unknown; path: string }[] | undefined {
  const v = e.value;
  if (isEmpty(v)) return undefined;
  if (!isSeq(v)) {
    ctx.error(v, e.path, `expected a list of ${itemExpected}, got ${typeName(v)}`);
    return undefined;
  }
  return v.items.map((item, i) => ({ value: ctx.deref(item), path: `${e.path}[${i}]` }));
}

function strList(ctx: Ctx, e: { value: unknown; path: string }, itemExpected = 'strings', loose = false): Loc<string>[] | undefined {
  const items = list(ctx, e, itemExpected);
  if (!items) return undefined;
  const out: Loc<string>[] = [];
  for (const it of items) {
    const s = loose ? scalarText(ctx, it, itemExpected) : str(ctx, it, itemExpected);
    if (s) out.push(s);
    else if (!loose && isEmpty(it.value)) ctx.error(it.value, it.path, `expected ${itemExpected}, got nothing`);
  }
  return out;
}

function strMap(ctx: Ctx, e: { value: unknown; path: string }, what: string): Map<string, Loc<string>> | undefined {
  const v = e.value;
  if (isEmpty(v)) return undefined;
  if (!isMap(v)) {
    ctx.error(v, e.path, `expected a mapping of ${what}, got ${typeName(v)}`);
    return undefined;
  }
  const out = new Map<string, Loc<string>>();
  for (const en of entries(ctx, v, e.path)) {
    const s = scalarText(ctx, en, 'a string, number or boolean');
    if (s) out.set(en.key, s);
  }
  return out;
}

function posNumber(ctx: Ctx, e: { value: unknown; path: string }, what: string): Loc<number> | undefined {
  const v = e.value;
  if (isEmpty(v)) return undefined;
  let n: number | undefined;
  if (isScalar(v) && typeof v.value === 'number') n = v.value;
  else if (isScalar(v) && typeof v.value === 'string' && /^\d+(\.\d+)?$/.test(v.value.trim())) n = Number(v.value);
  if (n === undefined || !Number.isFinite(n) || n <= 0) {
    ctx.error(v, e.path, `expected ${what}, got ${typeName(v)}`);
    return undefined;
  }
  return { value: n, node: v as YNode, path: e.path };
}

const MEMORY_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

function memory(ctx: Ctx, e: { value: unknown; path: string }): Loc<number> | undefined {
  const v = e.value;
  if (isEmpty(v)) return undefined;
  const expected = 'a memory size such as 512Mb, 2Gb or a number of bytes';
  if (isScalar(v) && typeof v.value === 'number' && Number.isInteger(v.value) && v.value > 0) {
    return { value: v.value, node: v as YNode, path: e.path };
  }
  if (isScalar(v) && typeof v.value === 'string') {
    const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i.exec(v.value.trim());
    if (m) {
      const bytes = Math.floor(Number(m[1]) * MEMORY_UNITS[m[2].toLowerCase()]);
      if (bytes > 0) return { value: bytes, node: v as YNode, path: e.path };
    }
  }
  ctx.error(v, e.path, `expected ${expected}, got ${typeName(v)}`);
  return undefined;
}

// ---------------------------------------------------------------- field vocabulary

const TOP_KEYS = ['name', 'prefix', 'mgmt', 'topology'];
const TOP_IGNORED = ['settings', 'debug'];
const MGMT_KEYS = ['network', 'ipv4-subnet', 'ipv6-subnet', 'ipv4-gw'];
const MGMT_IGNORED = ['ipv6-gw', 'bridge', 'mtu', 'external-access', 'ipv4-range', 'ipv6-range', 'driver'];
const TOPO_KEYS = ['defaults', 'kinds', 'groups', 'nodes', 'links'];
const NODE_KEYS = [
  'kind', 'image', 'group', 'startup-config', 'binds', 'env', 'env-files', 'ports', 'mgmt-ipv4', 'mgmt-ipv6',
  'exec', 'labels', 'cmd', 'entrypoint', 'user', 'cpu', 'memory', 'restart-policy', 'network-mode', 'stages', 'wait-for',
];
/** containerlab node fields Archetype accepts without acting on them (a warning says so). */
const NODE_IGNORED = [
  'type', 'license', 'position', 'startup-delay', 'enforce-startup-config', 'suppress-startup-config', 'auto-remove',
  'publish', 'sandbox', 'kernel', 'runtime', 'cpu-set', 'shm-size', 'sysctls', 'extras', 'dns', 'certificate',
  'healthcheck', 'aliases', 'devices', 'cap-add', 'components', 'config', 'image-pull-policy', 'mgmt-ipv4-gw',
  'mgmt-ipv6-gw', 'dns-options', 'skip-post-deploy',
];
/** Node fields that only make sense on a node (not in defaults, kinds or groups). */
const NODE_ONLY = ['mgmt-ipv4', 'mgmt-ipv6', 'group'];
const LINK_KEYS = ['endpoints', 'mtu', 'type', 'labels', 'vars'];
const ENDPOINT_KEYS = ['node', 'interface', 'mac', 'ipv4', 'ipv6', 'vars'];
const STAGES = ['create', 'create-links', 'configure', 'healthy', 'exit'];
const SUPPORTED_LINK_TYPES = ['veth'];
const KNOWN_LINK_TYPES = ['veth', 'mgmt-net', 'macvlan', 'host', 'vxlan', 'vxlan-stitch', 'dummy'];
/** Endpoint node names containerlab gives a special meaning in the brief link form. */
const SPECIAL_ENDPOINT_NODES = ['host', 'mgmt-net', 'macvlan', 'bridge', 'ovs-bridge'];

function checkKeys(ctx: Ctx, es: Entry[], known: string[], ignored: string[], where: string): Entry[] {
  const out: Entry[] = [];
  for (const e of es) {
    if (known.includes(e.key)) out.push(e);
    else if (ignored.includes(e.key)) ctx.warn(e.keyNode, e.path, `containerlab field "${e.key}" is accepted but ignored by Archetype`);
    else {
      const hint = closest(e.key, known);
      ctx.error(e.keyNode, e.path, `unknown field "${e.key}" in ${where}${hint ? `; did you mean "${hint}"?` : `; expected one of: ${known.join(', ')}`}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- node definitions

/** One level of the inheritance chain (defaults, a kind, a group or the node itself), as written. */
interface RawDef {
  node: YNode | undefined;
  path: string;
  /** Fields present but invalid (already reported): no "missing" error for them. */
  bad: Set<string>;
  kind?: Loc<string>;
  image?: Loc<string>;
  group?: Loc<string>;
  startupConfig?: Loc<string>; // resolved path
  startupConfigInline?: Loc<string>;
  binds?: Loc<string>[]; // resolved
  env?: Map<string, Loc<string>>;
  envFiles?: Loc<string>[]; // resolved
  ports?: Loc<string>[];
  mgmtIpv4?: Loc<string>;
  mgmtIpv6?: Loc<string>;
  exec?: Loc<string>[];
  labels?: Map<string, Loc<string>>;
  cmd?: Loc<string>;
  entrypoint?: Loc<string>;
  user?: Loc<string>;
  cpu?: Loc<number>;
  memory?: Loc<number>;
  restartPolicy?: Loc<string>;
  networkMode?: Loc<string>;
  waitFor?: Loc<string>[];
}

interface Env {
  dir: string;
  origin: TopologyOrigin;
}

/** Resolve a host path against the topology folder and enforce the API origin's roots. */
function hostPath(ctx: Ctx, env: Env, loc: Loc<string>, raw: string, what: string): string | undefined {
  if (raw.startsWith('~')) {
    ctx.error(loc.node, loc.path, `${what} "${raw}" uses "~", which Archetype does not expand; use an absolute path or one relative to the topology file`);
    return undefined;
  }
  if (raw.includes('\0')) {
    ctx.error(loc.node, loc.path, `${what} contains a NUL character`);
    return undefined;
  }
  const abs = resolvePath(env.dir, raw);
  if (env.origin.kind === 'api') {
    const roots = [env.origin.labDir, ...env.origin.allowedRoots].filter((r) => isAbsolutePath(r));
    if (!roots.some((r) => isInsidePath(abs, r))) {
      ctx.error(
        loc.node,
        loc.path,
        `${what} "${raw}" resolves to ${abs}, outside the lab folder ${normalizePath(env.origin.labDir)}` +
          (env.origin.allowedRoots.length ? ` and the allowed roots (${env.origin.allowedRoots.join(', ')})` : '') +
          '; a topology submitted over the API may only use files inside its own folder',
      );
      return undefined;
    }
  }
  return abs;
}

const PORT_RE = /^(?:(?:\[[0-9A-Fa-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:(?:\d{1,5}(?:-\d{1,5})?)?:)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/;
const RESTART_RE = /^(?:no|always|unless-stopped|on-failure(?::\d+)?)$/;

function parseWaitForEntry(ctx: Ctx, e: { value: unknown; path: string }): Loc<string> | undefined {
  const v = e.value;
  if (isScalar(v) && typeof v.value === 'string') return { value: v.value, node: v as YNode, path: e.path };
  if (isMap(v)) {
    let node: Loc<string> | undefined;
    for (const en of entries(ctx, v, e.path)) {
      if (en.key === 'node') node = str(ctx, en, 'a node name');
      else if (en.key === 'stage') {
        const s = str(ctx, en, 'a stage name');
        if (s && !STAGES.includes(s.value)) ctx.error(s.node, s.path, `unknown stage "${s.value}"; expected one of: ${STAGES.join(', ')}`);
      } else ctx.error(en.keyNode, en.path, `unknown field "${en.key}" in a wait-for entry; expected node and stage`);
    }
    if (!node) ctx.error(v, e.path, 'a wait-for entry needs a "node"');
    return node;
  }
  ctx.error(v, e.path, `expected a node name or {node, stage}, got ${typeName(v)}`);
  return undefined;
}

function parseDef(ctx: Ctx, env: Env, e: { value: unknown; path: string; keyNode?: YNode }, level: 'node' | 'group' | 'kind' | 'defaults'): RawDef {
  const def: RawDef = { node: (e.value as YNode | undefined) ?? e.keyNode, path: e.path, bad: new Set() };
  if (isEmpty(e.value)) {
    def.node = e.keyNode;
    return def;
  }
  if (!isMap(e.value)) {
    ctx.error(e.value, e.path, `expected a mapping of node settings, got ${typeName(e.value)}`);
    return def;
  }
  const where = level === 'node' ? 'a node' : level === 'defaults' ? 'topology.defaults' : `a ${level} definition`;
  for (const f of checkKeys(ctx, entries(ctx, e.value, e.path), NODE_KEYS, NODE_IGNORED, where)) {
    if (level !== 'node' && NODE_ONLY.includes(f.key) && !(f.key === 'group' && level === 'defaults')) {
      ctx.error(f.keyNode, f.path, `"${f.key}" can only be set on a node, not in ${where}`);
      continue;
    }
    const before = ctx.errors.length;
    handleField(f);
    if (ctx.errors.length > before) def.bad.add(f.key);
  }
  return def;

  function handleField(f: Entry): void {
    switch (f.key) {
      case 'kind':
        def.kind = str(ctx, f, 'a kind name');
        break;
      case 'image':
        def.image = str(ctx, f, 'an image reference');
        if (def.image && (/\s/.test(def.image.value) || def.image.value.startsWith('-'))) {
          ctx.error(def.image.node, f.path, `image "${def.image.value}" must not contain whitespace or start with "-"`);
        }
        break;
      case 'group':
        def.group = str(ctx, f, 'a group name');
        break;
      case 'startup-config': {
        const s = str(ctx, f, 'a file path or an inline configuration');
        if (!s) break;
        if (s.value.includes('\n')) def.startupConfigInline = s;
        else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value)) {
          ctx.error(s.node, s.path, `remote startup-config "${s.value}" is not supported yet; expected a file path`);
        } else {
          const abs = hostPath(ctx, env, s, s.value, 'startup-config');
          if (abs) def.startupConfig = { ...s, value: abs };
        }
        break;
      }
      case 'binds': {
        const items = strList(ctx, f, 'bind strings "src:dst[:options]"');
        if (!items) break;
        def.binds = [];
        for (const b of items) {
          const parts = b.value.split(':');
          if (parts.length < 2 || parts.length > 3 || parts[0] === '' || parts[1] === '') {
            ctx.error(b.node, b.path, `bind "${b.value}" is malformed; expected "host-path:container-path[:options]"`);
            continue;
          }
          if (!isAbsolutePath(parts[1])) {
            ctx.error(b.node, b.path, `bind "${b.value}": the container path "${parts[1]}" must be absolute`);
            continue;
          }
          if (parts.length === 3 && !/^[A-Za-z]+(,[A-Za-z]+)*$/.test(parts[2])) {
            ctx.error(b.node, b.path, `bind "${b.value}": options "${parts[2]}" are invalid; expected e.g. ro, rw, z`);
            continue;
          }
          const abs = hostPath(ctx, env, b, parts[0], 'bind source');
          if (abs) def.binds.push({ ...b, value: [abs, ...parts.slice(1)].join(':') });
        }
        break;
      }
      case 'env': {
        def.env = strMap(ctx, f, 'environment variables');
        for (const [k, v] of def.env ?? []) {
          if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k)) {
            ctx.error(v.node, v.path, `environment variable name "${k}" is invalid; expected letters, digits and "_"`);
            def.env!.delete(k);
          }
        }
        break;
      }
      case 'env-files': {
        const items = strList(ctx, f, 'file paths');
        if (!items) break;
        def.envFiles = [];
        for (const s of items) {
          const abs = hostPath(ctx, env, s, s.value, 'env-file');
          if (abs) def.envFiles.push({ ...s, value: abs });
        }
        break;
      }
      case 'ports': {
        const items = strList(ctx, f, 'port publications', true);
        if (!items) break;
        def.ports = items.filter((p) => {
          if (PORT_RE.test(p.value)) return true;
          ctx.error(p.node, p.path, `port "${p.value}" is invalid; expected "[ip:]hostPort:containerPort[/tcp|udp]"`);
          return false;
        });
        break;
      }
      case 'mgmt-ipv4':
        def.mgmtIpv4 = str(ctx, f, 'an IPv4 address');
        break;
      case 'mgmt-ipv6':
        def.mgmtIpv6 = str(ctx, f, 'an IPv6 address');
        break;
      case 'exec':
        def.exec = strList(ctx, f, 'commands');
        break;
      case 'labels':
        def.labels = strMap(ctx, f, 'labels');
        break;
      case 'cmd':
        def.cmd = str(ctx, f, 'a command string');
        break;
      case 'entrypoint':
        def.entrypoint = str(ctx, f, 'an entrypoint string');
        break;
      case 'user':
        def.user = scalarText(ctx, f, 'a user name or uid');
        if (def.user?.value === '') def.user = undefined;
        break;
      case 'cpu':
        def.cpu = posNumber(ctx, f, 'a positive number of CPUs');
        break;
      case 'memory':
        def.memory = memory(ctx, f);
        break;
      case 'restart-policy':
        def.restartPolicy = str(ctx, f, 'a restart policy');
        if (def.restartPolicy && !RESTART_RE.test(def.restartPolicy.value)) {
          ctx.error(def.restartPolicy.node, f.path, `restart-policy "${def.restartPolicy.value}" is invalid; expected no, always, unless-stopped or on-failure`);
          def.restartPolicy = undefined;
        }
        break;
      case 'network-mode':
        def.networkMode = str(ctx, f, 'a network mode');
        if (def.networkMode && !['bridge', 'host', 'none'].includes(def.networkMode.value)) {
          ctx.error(
            def.networkMode.node,
            f.path,
            def.networkMode.value.startsWith('container:')
              ? `network-mode "${def.networkMode.value}" (sharing another container's namespace) is not supported yet; expected bridge, host or none`
              : `network-mode "${def.networkMode.value}" is invalid; expected bridge, host or none`,
          );
          def.networkMode = undefined;
        }
        break;
      case 'wait-for': {
        const items = list(ctx, f, 'node names');
        if (items) def.waitFor = [...(def.waitFor ?? []), ...items.map((i) => parseWaitForEntry(ctx, i)).filter((x): x is Loc<string> => !!x)];
        break;
      }
      case 'stages': {
        if (isEmpty(f.value)) break;
        if (!isMap(f.value)) {
          ctx.error(f.value, f.path, `expected a mapping of stages (${STAGES.join(', ')}), got ${typeName(f.value)}`);
          break;
        }
        for (const st of entries(ctx, f.value, f.path)) {
          if (!STAGES.includes(st.key)) {
            ctx.error(st.keyNode, st.path, `unknown stage "${st.key}"; expected one of: ${STAGES.join(', ')}`);
            continue;
          }
          if (isEmpty(st.value)) continue;
          if (!isMap(st.value)) {
            ctx.error(st.value, st.path, `expected a mapping with wait-for and/or exec, got ${typeName(st.value)}`);
            continue;
          }
          for (const sf of entries(ctx, st.value, st.path)) {
            if (sf.key === 'wait-for') {
              const items = list(ctx, sf, 'wait-for entries');
              if (items) def.waitFor = [...(def.waitFor ?? []), ...items.map((i) => parseWaitForEntry(ctx, i)).filter((x): x is Loc<string> => !!x)];
            } else if (sf.key === 'exec') {
              ctx.warn(sf.keyNode, sf.path, 'stage exec commands are accepted but not run by Archetype yet');
            } else {
              ctx.error(sf.keyNode, sf.path, `unknown field "${sf.key}" in a stage; expected wait-for or exec`);
            }
          }
        }
        break;
      }
    }
  }
}

// ---------------------------------------------------------------- inheritance

type Chain = RawDef[]; // most specific first: node, group, kind, defaults

function first<K extends keyof RawDef>(chain: Chain, key: K): RawDef[K] | undefined {
  for (const d of chain) if (d[key] !== undefined) return d[key];
  return undefined;
}

function mergeMaps(chain: Chain, key: 'env' | 'labels'): Map<string, Loc<string>> {
  const out = new Map<string, Loc<string>>();
  for (const d of [...chain].reverse()) for (const [k, v] of d[key] ?? []) out.set(k, v);
  return out;
}

/** Binds: union over the chain; a more specific level wins for the same container path. */
function mergeBinds(chain: Chain): string[] {
  const byDst = new Map<string, string>();
  for (const d of [...chain].reverse()) {
    for (const b of d.binds ?? []) byDst.set(b.value.split(':')[1], b.value);
  }
  return [...byDst.values()];
}

function unionStrings(lists: (Loc<string>[] | undefined)[]): string[] {
  const out: string[] = [];
  for (const l of lists) for (const s of l ?? []) if (!out.includes(s.value)) out.push(s.value);
  return out;
}

// ---------------------------------------------------------------- entry point

export interface ParseOptions {
  /** Absolute path of the topology file (relative paths in it resolve against its folder). */
  file: string;
  origin?: TopologyOrigin;
}

export function parseTopology(text: string, opts: ParseOptions): ParseResult {
  // Errors name the file as given; paths resolve against its folder (made absolute if it was not).
  const file = typeof opts?.file === 'string' && opts.file !== '' ? opts.file : 'topology.clab.yml';
  try {
    return parseInner(typeof text === 'string' ? text : '', file, opts?.origin ?? { kind: 'local' });
  } catch (err) {
    // Defence in depth: the validator reports, it never throws.
    return {
      errors: [{ file, line: 0, col: 0, path: '', message: `internal error while validating: ${err instanceof Error ? err.message : String(err)}` }],
    };
  }
}

function dedupe(errs: TopologyError[]): TopologyError[] {
  const seen = new Set<string>();
  const out: TopologyError[] = [];
  for (const e of errs) {
    const k = `${e.line}:${e.col}:${e.path}:${e.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(e);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

function parseInner(text: string, file: string, origin: TopologyOrigin): ParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, merge: true, prettyErrors: false, keepSourceTokens: false });
  const ctx = new Ctx(file, lc, doc);
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    ctx.errors.push({ file, line: p.line, col: p.col, path: '', message: `YAML syntax error: ${e.message.split('\n')[0]}` });
  }
  const absFile = normalizePath(isAbsolutePath(file) ? file : `/${file}`);
  const dir = dirnamePath(absFile);
  const env: Env = { dir, origin };
  if (origin.kind === 'api' && !isAbsolutePath(origin.labDir)) {
    ctx.error(undefined, '', `the lab folder "${origin.labDir}" must be an absolute path`);
  }

  const root = ctx.deref(doc.contents);
  if (!isMap(root)) {
    if (ctx.errors.length === 0) {
      ctx.error(root, '', `expected a mapping with name and topology at the top of the file, got ${typeName(root)}`);
    }
    return { errors: dedupe(ctx.errors), warnings: ctx.warnings };
  }

  const top = new Map(checkKeys(ctx, entries(ctx, root, ''), TOP_KEYS, TOP_IGNORED, 'the top level').map((e) => [e.key, e]));

  // name
  let labName: string | undefined;
  const nameE = top.get('name');
  if (!nameE) ctx.error(root, 'name', 'missing lab name; expected a top-level "name: <lab>"');
  else {
    const s = scalarText(ctx, nameE, 'a lab name');
    if (s && s.value === '') ctx.error(nameE.value, 'name', 'lab name is empty; expected a name such as "lab1"');
    else if (s) {
      const r = unsafeNameReason(s.value);
      if (r) ctx.error(s.node, 'name', `lab name "${s.value}" ${r}`);
      else labName = s.value;
    }
  }

  // prefix
  let prefix: string | undefined;
  const prefixE = top.get('prefix');
  if (prefixE && !isEmpty(prefixE.value)) {
    const s = str(ctx, prefixE, 'a container name prefix');
    if (s) {
      const r = s.value === '' || s.value === '__lab-name' ? undefined : unsafeNameReason(s.value);
      if (r) ctx.error(s.node, 'prefix', `prefix "${s.value}" ${r}`);
      else prefix = s.value;
    }
  }

  // mgmt
  const mgmt: Topology['mgmt'] = { network: labName ? defaultMgmtNetwork(labName) : '' };
  const mgmtLocs: Record<string, YNode | undefined> = {};
  const mgmtE = top.get('mgmt');
  if (mgmtE && !isEmpty(mgmtE.value)) {
    if (!isMap(mgmtE.value)) ctx.error(mgmtE.value, 'mgmt', `expected a mapping (network, ipv4-subnet, ipv6-subnet), got ${typeName(mgmtE.value)}`);
    for (const f of checkKeys(ctx, entries(ctx, mgmtE.value, 'mgmt'), MGMT_KEYS, MGMT_IGNORED, 'mgmt')) {
      const s = str(ctx, f, f.key === 'network' ? 'a docker network name' : 'an address in CIDR notation');
      if (!s) continue;
      mgmtLocs[f.key] = s.node;
      if (f.key === 'network') {
        const r = unsafeNameReason(s.value);
        if (r) ctx.error(s.node, f.path, `network name "${s.value}" ${r}`);
        else mgmt.network = s.value;
      } else if (f.key === 'ipv4-subnet') mgmt.ipv4Subnet = s.value;
      else if (f.key === 'ipv6-subnet') mgmt.ipv6Subnet = s.value;
      else if (f.key === 'ipv4-gw') mgmt.ipv4Gateway = s.value;
    }
  }

  // topology
  const topoE = top.get('topology');
  const topoMap = topoE?.value;
  if (!topoE) ctx.error(root, 'topology', 'missing "topology"; expected a mapping with nodes (and links)');
  else if (!isMap(topoMap)) ctx.error(topoE.value ?? topoE.keyNode, 'topology', `expected a mapping with nodes and links, got ${typeName(topoMap)}`);
  const topo = new Map(checkKeys(ctx, entries(ctx, topoMap, 'topology'), TOPO_KEYS, [], 'topology').map((e) => [e.key, e]));

  const defaultsE = topo.get('defaults');
  const defaults: RawDef = defaultsE ? parseDef(ctx, env, defaultsE, 'defaults') : { node: undefined, path: 'topology.defaults', bad: new Set() };

  const kindDefs = new Map<string, RawDef>();
  const kindsE = topo.get('kinds');
  if (kindsE && !isEmpty(kindsE.value)) {
    if (!isMap(kindsE.value)) ctx.error(kindsE.value, kindsE.path, `expected a mapping of kind name to settings, got ${typeName(kindsE.value)}`);
    for (const k of entries(ctx, kindsE.value, kindsE.path, 'kind')) kindDefs.set(k.key, parseDef(ctx, env, k, 'kind'));
  }

  const groupDefs = new Map<string, RawDef>();
  const groupsE = topo.get('groups');
  if (groupsE && !isEmpty(groupsE.value)) {
    if (!isMap(groupsE.value)) ctx.error(groupsE.value, groupsE.path, `expected a mapping of group name to settings, got ${typeName(groupsE.value)}`);
    for (const g of entries(ctx, groupsE.value, groupsE.path, 'group')) groupDefs.set(g.key, parseDef(ctx, env, g, 'group'));
  }

  // nodes
  const nodesE = topo.get('nodes');
  const nodeEntries: Entry[] = [];
  if (!nodesE) {
    if (isMap(topoMap)) ctx.error(topoMap, 'topology.nodes', 'missing "nodes"; expected a mapping of node name to node settings');
  } else if (!isMap(nodesE.value)) {
    ctx.error(nodesE.value ?? nodesE.keyNode, 'topology.nodes', `expected a mapping of node name to node settings, got ${typeName(nodesE.value)}`);
  } else {
    nodeEntries.push(...entries(ctx, nodesE.value, 'topology.nodes', 'node name'));
    if (nodeEntries.length === 0) ctx.error(nodesE.value, 'topology.nodes', 'the lab has no nodes; expected at least one');
  }

  interface NodeInfo {
    spec: NodeSpec;
    kind?: KindModule;
    keyNode: YNode | undefined;
    path: string;
    waitFor: Loc<string>[];
    mgmtIpv4?: Loc<string>;
    mgmtIpv6?: Loc<string>;
  }
  const nodes = new Map<string, NodeInfo>();
  for (const ne of nodeEntries) {
    const path = ne.path;
    const r = unsafeNameReason(ne.key);
    if (r) {
      ctx.error(ne.keyNode, path, `node name "${ne.key}" ${r}`);
      continue;
    }
    if (SPECIAL_ENDPOINT_NODES.includes(ne.key)) {
      ctx.error(ne.keyNode, path, `node name "${ne.key}" is reserved by containerlab for special link endpoints; choose another name`);
      continue;
    }
    if (prefix === '' && ne.key.length < 2) {
      ctx.error(ne.keyNode, path, `node name "${ne.key}" is too short to be a container name on its own (prefix is ""); expected at least 2 characters`);
    }
    const nodeDef = parseDef(ctx, env, ne, 'node');
    const nodeLoc = nodeDef.node ?? ne.keyNode;

    // group
    const groupLoc = nodeDef.group ?? defaults.group;
    let groupDef: RawDef | undefined;
    if (groupLoc) {
      groupDef = groupDefs.get(groupLoc.value);
      if (!groupDef) {
        const names = [...groupDefs.keys()];
        ctx.error(groupLoc.node, groupLoc.path, `unknown group "${groupLoc.value}"; ${names.length ? `groups are: ${names.join(', ')}` : 'topology.groups defines none'}`);
      }
    }

    // kind: node ← group ← defaults (a kind definition cannot choose the kind)
    const kindLoc = nodeDef.kind ?? groupDef?.kind ?? defaults.kind;
    let kind: KindModule | undefined;
    if (!kindLoc) {
      if (![nodeDef, groupDef, defaults].some((d) => d?.bad.has('kind'))) ctx.error(nodeLoc, join(path, 'kind'), 'missing kind; set "kind" on the node, its group or topology.defaults (supported: linux, ceos, qemu)');
    } else {
      kind = getKind(kindLoc.value);
      if (!kind) ctx.error(kindLoc.node, kindLoc.path, unsupportedKindMessage(kindLoc.value) ?? 'unsupported kind');
    }
    const kindChain: RawDef[] = [];
    if (kind && kindLoc) {
      const exact = kindDefs.get(kindLoc.value);
      if (exact) kindChain.push(exact);
      for (const [k, d] of kindDefs) if (k !== kindLoc.value && getKind(k) === kind) kindChain.push(d);
    }
    const chain: Chain = [nodeDef, ...(groupDef ? [groupDef] : []), ...kindChain, defaults];

    const image = first(chain, 'image');
    if (kind?.requiresImage && !image && !chain.some((d) => d.bad.has('image'))) {
      ctx.error(nodeLoc, join(path, 'image'), `missing image; ${kind.name} nodes need one (set "image" on the node, its group, topology.kinds.${kindLoc?.value ?? kind.name} or topology.defaults)`);
    }
    let imageValue = image?.value ?? '';
    if (kind?.name === 'qemu' && image && isDiskImagePath(image.value)) {
      imageValue = hostPath(ctx, env, image, image.value, 'disk image') ?? image.value;
    }

    const labels = mergeMaps(chain, 'labels');
    const envMap = mergeMaps(chain, 'env');
    const hostLabel = labels.get(HOST_LABEL);
    if (hostLabel) {
      const hr = hostLabel.value === '' ? 'must not be empty' : unsafeNameReason(hostLabel.value);
      if (hr) ctx.error(hostLabel.node, hostLabel.path, `host id "${hostLabel.value}" ${hr}`);
    }
    const networkMode = first(chain, 'networkMode')?.value as NodeSpec['networkMode'] | undefined;
    const startup = first(chain, 'startupConfig');
    const startupInline = startup ? undefined : first(chain, 'startupConfigInline');
    const cmd = first(chain, 'cmd')?.value ?? kind?.defaultCmd;
    const waitFor: Loc<string>[] = [];
    for (const d of [nodeDef, ...(groupDef ? [groupDef] : []), ...kindChain]) waitFor.push(...(d.waitFor ?? []));

    const spec: NodeSpec = {
      name: ne.key,
      kind: kind?.name ?? kindLoc?.value ?? '',
      image: imageValue,
      ...(groupLoc ? { group: groupLoc.value } : {}),
      ...(startup ? { startupConfig: startup.value } : {}),
      ...(startupInline ? { startupConfigInline: startupInline.value } : {}),
      binds: mergeBinds(chain),
      env: { ...(kind?.defaultEnv ?? {}), ...Object.fromEntries([...envMap].map(([k, v]) => [k, v.value])) },
      envFiles: unionStrings([...chain].reverse().map((d) => d.envFiles)),
      ports: (first(chain, 'ports') ?? []).map((p) => p.value),
      ...(nodeDef.mgmtIpv4 ? { mgmtIpv4: nodeDef.mgmtIpv4.value } : {}),
      ...(nodeDef.mgmtIpv6 ? { mgmtIpv6: nodeDef.mgmtIpv6.value } : {}),
      exec: [...chain].reverse().flatMap((d) => (d.exec ?? []).map((x) => x.value)),
      labels: Object.fromEntries([...labels].map(([k, v]) => [k, v.value])),
      ...(cmd !== undefined ? { cmd } : {}),
      ...optional('entrypoint', first(chain, 'entrypoint')?.value),
      ...optional('user', first(chain, 'user')?.value),
      ...optional('cpu', first(chain, 'cpu')?.value),
      ...optional('memory', first(chain, 'memory')?.value),
      ...optional('restartPolicy', first(chain, 'restartPolicy')?.value),
      ...optional('networkMode', networkMode),
      waitFor: [...new Set(waitFor.map((w) => w.value))].sort(),
      ...(hostLabel && hostLabel.value !== '' ? { host: hostLabel.value } : {}),
    };
    nodes.set(ne.key, { spec, kind, keyNode: ne.keyNode, path, waitFor, mgmtIpv4: nodeDef.mgmtIpv4, mgmtIpv6: nodeDef.mgmtIpv6 });
  }

  // wait-for: unknown nodes, self references, cycles
  for (const n of nodes.values()) {
    for (const w of n.waitFor) {
      if (w.value === n.spec.name) ctx.error(w.node, w.path, `node "${n.spec.name}" cannot wait for itself`);
      else if (!nodes.has(w.value) && !nodeEntries.some((e) => e.key === w.value)) {
        ctx.error(w.node, w.path, `wait-for names unknown node "${w.value}"; nodes are: ${[...nodes.keys()].sort().join(', ')}`);
      }
    }
  }
  const waveInput = [...nodes.values()].map((n) => ({ name: n.spec.name, waitFor: n.spec.waitFor.filter((w) => w !== n.spec.name) }));
  const { cycle } = computeWaves(waveInput);
  if (cycle) {
    const n = nodes.get(cycle[0])!;
    const loc = n.waitFor.find((w) => w.value === cycle[1]);
    ctx.error(loc?.node ?? n.keyNode, loc?.path ?? n.path, `wait-for dependencies form a cycle: ${cycle.join(' → ')}; creation order must be acyclic`);
  }

  // management addresses
  if (labName) {
    const alloc = allocateMgmt({ name: labName, mgmt, nodes: [...nodes.values()].map((n) => n.spec) });
    for (const p of alloc.problems) {
      if (p.node) {
        const n = nodes.get(p.node)!;
        const loc = p.field === 'mgmt-ipv4' ? n.mgmtIpv4 : n.mgmtIpv6;
        ctx.error(loc?.node ?? n.keyNode, loc?.path ?? join(n.path, p.field), p.message);
      } else {
        const locNode = mgmtLocs[p.field] ?? mgmtE?.value ?? root;
        ctx.error(locNode, `mgmt.${p.field}`, p.message);
      }
    }
  }

  // links
  const links: LinkSpec[] = [];
  const linksE = topo.get('links');
  const used = new Map<string, string>(); // `node\0ifName` → path of the first link using it
  const nodeList = () => [...nodes.keys()].sort().join(', ');
  const linkItems = linksE ? list(ctx, linksE, 'links') ?? [] : [];
  linkItems.forEach((le) => {
    const lpath = le.path;
    if (!isMap(le.value)) {
      ctx.error(le.value, lpath, `expected a link mapping with "endpoints", got ${typeName(le.value)}`);
      return;
    }
    const lnode = le.value as YNode;
    const linkEntries = entries(ctx, le.value, lpath);
    let ok = true;
    const typeE = linkEntries.find((e) => e.key === 'type');
    const type = typeE ? str(ctx, typeE, 'a link type') : undefined;
    if (typeE && !type) ok = false;
    if (type && !SUPPORTED_LINK_TYPES.includes(type.value)) {
      // Other link types have other fields: refuse the type without judging them.
      ctx.error(
        type.node,
        type.path,
        KNOWN_LINK_TYPES.includes(type.value)
          ? `link type "${type.value}" is not supported yet; supported link types: ${SUPPORTED_LINK_TYPES.join(', ')}`
          : `unknown link type "${type.value}"; expected one of: ${KNOWN_LINK_TYPES.join(', ')} (supported: ${SUPPORTED_LINK_TYPES.join(', ')})`,
      );
      return;
    }
    const lf = new Map(checkKeys(ctx, linkEntries, LINK_KEYS, [], 'a link').map((e) => [e.key, e]));
    let mtu: number | undefined;
    const mtuE = lf.get('mtu');
    if (mtuE && !isEmpty(mtuE.value)) {
      const v = mtuE.value;
      if (isScalar(v) && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 68 && v.value <= 65535) mtu = v.value;
      else {
        ctx.error(v, mtuE.path, `expected an MTU between 68 and 65535, got ${typeName(v)}`);
        ok = false;
      }
    }
    const epE = lf.get('endpoints');
    if (!epE || isEmpty(epE.value)) {
      ctx.error(lnode, join(lpath, 'endpoints'), 'missing endpoints; expected two endpoints such as ["r1:eth1", "r2:eth1"]');
      return;
    }
    const eps = list(ctx, epE, 'endpoints');
    if (!eps) return;
    if (eps.length !== 2) {
      ctx.error(epE.value, epE.path, `a veth link needs exactly 2 endpoints, got ${eps.length}`);
      return;
    }
    const endpoints: Endpoint[] = [];
    for (const ep of eps) {
      let endpoint: Endpoint | undefined;
      let nodeLoc: Loc<string> | undefined;
      let ifLoc: Loc<string> | undefined;
      if (!type) {
        // brief form: "node:interface"
        if (!(isScalar(ep.value) && typeof ep.value.value === 'string')) {
          ctx.error(ep.value, ep.path, `expected "node:interface", got ${typeName(ep.value)}${isMap(ep.value) ? ' (endpoint objects need the extended form with "type: veth")' : ''}`);
          ok = false;
          continue;
        }
        const text = ep.value.value;
        const i = text.indexOf(':');
        if (i <= 0 || i === text.length - 1) {
          ctx.error(ep.value, ep.path, `endpoint "${text}" is malformed; expected "node:interface"`);
          ok = false;
          continue;
        }
        const nodeName = text.slice(0, i);
        const ifName = text.slice(i + 1);
        nodeLoc = { value: nodeName, node: ep.value as YNode, path: ep.path };
        ifLoc = { value: ifName, node: ep.value as YNode, path: ep.path };
        endpoint = { node: nodeName, interface: ifName };
      } else {
        if (!isMap(ep.value)) {
          ctx.error(ep.value, ep.path, `expected an endpoint mapping {node, interface}, got ${typeName(ep.value)}`);
          ok = false;
          continue;
        }
        const ef = new Map(checkKeys(ctx, entries(ctx, ep.value, ep.path), ENDPOINT_KEYS, [], 'an endpoint').map((e) => [e.key, e]));
        nodeLoc = ef.get('node') ? scalarText(ctx, ef.get('node')!, 'a node name') : undefined;
        ifLoc = ef.get('interface') ? scalarText(ctx, ef.get('interface')!, 'an interface name') : undefined;
        if (!nodeLoc || nodeLoc.value === '') {
          ctx.error(ep.value, join(ep.path, 'node'), 'missing node; expected the name of a node');
          ok = false;
          continue;
        }
        if (!ifLoc || ifLoc.value === '') {
          ctx.error(ep.value, join(ep.path, 'interface'), 'missing interface; expected an interface name such as eth1');
          ok = false;
          continue;
        }
        endpoint = { node: nodeLoc.value, interface: ifLoc.value };
        const mac = ef.get('mac') && str(ctx, ef.get('mac')!, 'a MAC address');
        if (mac) {
          if (!isMac(mac.value)) ctx.error(mac.node, mac.path, `"${mac.value}" is not a MAC address; expected e.g. 02:00:00:00:00:01`);
          else if ((parseInt(mac.value.slice(0, 2), 16) & 1) === 1) ctx.error(mac.node, mac.path, `${mac.value} is a multicast address; expected a unicast MAC`);
          else endpoint.mac = mac.value.toLowerCase();
        }
        const v4 = ef.get('ipv4') && str(ctx, ef.get('ipv4')!, 'an IPv4 address with prefix length');
        if (v4) {
          if (!parseCidr4(v4.value)) ctx.error(v4.node, v4.path, `"${v4.value}" is not an IPv4 address with prefix length; expected e.g. 192.168.1.1/24`);
          else endpoint.ipv4 = v4.value;
        }
        const v6 = ef.get('ipv6') && str(ctx, ef.get('ipv6')!, 'an IPv6 address with prefix length');
        if (v6) {
          if (!parseCidr6(v6.value)) ctx.error(v6.node, v6.path, `"${v6.value}" is not an IPv6 address with prefix length; expected e.g. 2001:db8::1/64`);
          else endpoint.ipv6 = v6.value;
        }
      }
      const n = nodes.get(endpoint.node);
      if (!n) {
        if (nodeEntries.some((e) => e.key === endpoint.node)) {
          ok = false; // the node itself is invalid and already reported
        } else if (SPECIAL_ENDPOINT_NODES.includes(endpoint.node)) {
          ctx.error(nodeLoc.node, nodeLoc.path, `endpoint "${endpoint.node}:${endpoint.interface}" connects to containerlab's special "${endpoint.node}" endpoint, which Archetype does not support yet; connect two lab nodes instead`);
          ok = false;
        } else {
          ctx.error(nodeLoc.node, nodeLoc.path, `unknown node "${endpoint.node}" in endpoint "${endpoint.node}:${endpoint.interface}"; nodes are: ${nodeList()}`);
          ok = false;
        }
        continue;
      }
      if (n.spec.networkMode === 'host') {
        ctx.error(nodeLoc.node, nodeLoc.path, `node "${endpoint.node}" uses network-mode host, so it cannot have links`);
        ok = false;
        continue;
      }
      if (n.kind) {
        const why = n.kind.validateInterface(endpoint.interface);
        if (why) {
          ctx.error(ifLoc.node, ifLoc.path, `interface "${endpoint.interface}" of node "${endpoint.node}" ${why}; expected ${n.kind.interfaceHint}`);
          ok = false;
          continue;
        }
        const ifName = n.kind.containerInterfaceName(endpoint.interface);
        const key = `${endpoint.node}\0${ifName}`;
        const prev = used.get(key);
        if (prev !== undefined) {
          ctx.error(ifLoc.node, ifLoc.path, `interface ${endpoint.node}:${endpoint.interface} is already used by ${prev}; each interface can be in only one link`);
          ok = false;
          continue;
        }
        used.set(key, lpath);
      } else if (unsafeIfNameReason(endpoint.interface)) {
        ok = false;
      }
      endpoints.push(endpoint);
    }
    if (ok && endpoints.length === 2) {
      const line = lnode.range ? lc.linePos(lnode.range[0]).line : undefined;
      links.push({ type: 'veth', endpoints: [endpoints[0], endpoints[1]], ...(mtu !== undefined ? { mtu } : {}), ...(line ? { line } : {}) });
    }
  });

  const errors = dedupe(ctx.errors);
  const warnings = dedupe(ctx.warnings);
  if (errors.length > 0 || !labName) {
    if (errors.length === 0) errors.push({ file, line: 0, col: 0, path: 'name', message: 'missing lab name' });
    return { errors, warnings };
  }
  const topology: Topology = {
    name: labName,
    ...(prefix !== undefined ? { prefix } : {}),
    mgmt,
    nodes: [...nodes.values()].map((n) => n.spec).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    links,
    dir,
    file: absFile,
  };
  return { topology, errors: [], warnings };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** All problems in a topology file (parse + validate), never throwing. */
export function validateTopology(text: string, opts: ParseOptions): TopologyError[] {
  return parseTopology(text, opts).errors;
}
