// IPv4/IPv6 address arithmetic as pure functions.

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255 || (m[i].length > 1 && m[i].startsWith('0'))) return undefined;
    v = v * 256 + o;
  }
  return v;
}

export function formatIpv4(v: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

export interface Cidr4 {
  /** Address as written (may have host bits). */
  addr: number;
  prefix: number;
  network: number;
  /** Number of addresses in the subnet. */
  size: number;
}

export function parseCidr4(s: string): Cidr4 | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const addr = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (addr === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { addr, prefix, network: addr - (addr % size), size };
}

export function formatCidr4(c: { network: number; prefix: number }): string {
  return `${formatIpv4(c.network)}/${c.prefix}`;
}

export function inCidr4(addr: number, c: Cidr4): boolean {
  return addr >= c.network && addr < c.network + c.size;
}

// ---------------------------------------------------------------- IPv6

export function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || s.length > 45) return undefined;
  let head = s;
  let v4tail: number | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    v4tail = parseIpv4(s.slice(lastColon + 1));
    if (v4tail === undefined) return undefined;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return undefined;
  const parse = (x: string): number[] | undefined => {
    if (x === '') return [];
    const out: number[] = [];
    for (const g of x.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(dbl[0]);
  const right = dbl.length === 2 ? parse(dbl[1]) : [];
  if (!left || !right) return undefined;
  let groups: number[];
  if (dbl.length === 2) {
    const fill = 8 - left.length - right.length;
    if (fill < 1) return undefined;
    groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  } else {
    if (left.length !== 8) return undefined;
    groups = left;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  if (v4tail !== undefined) v = (v & ~0xffffffffn) | BigInt(v4tail);
  return v;
}

export function formatIpv6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // Longest run of zero groups (length ≥ 2) becomes `::`.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface Cidr6 {
  addr: bigint;
  prefix: number;
  network: bigint;
}

export function parseCidr6(s: string): Cidr6 | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const addr = parseIpv6(m[1]);
  const prefix = Number(m[2]);
  if (addr === undefined || prefix > 128) return undefined;
  const hostBits = BigInt(128 - prefix);
  const network = (addr >> hostBits) << hostBits;
  return { addr, prefix, network };
}

export function inCidr6(addr: bigint, c: Cidr6): boolean {
  const hostBits = BigInt(128 - c.prefix);
  return addr >> hostBits === c.network >> hostBits;
}

export function isMac(s: string): boolean {
  return /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(s);
}

/** A unicast MAC has the least significant bit of its first octet clear. */
export function isUnicastMac(s: string): boolean {
  return isMac(s) && (parseInt(s.slice(0, 2), 16) & 1) === 0;
}
