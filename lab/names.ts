// Names, short ids and the pure hash they come from. No Node APIs: workflows import this.

/** FNV-1a, 32 bits, over the UTF-16 code units of `s`. Pure and deterministic. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Short deterministic id of a lab: 6 hex characters of the FNV-1a hash of its name. */
export function labIdOf(labName: string): string {
  return fnv1a32(labName).toString(16).padStart(8, '0').slice(0, 6);
}

/** Characters containerlab accepts in lab and node names. */
const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Why a lab, node, group or network name is unsafe (could inject into a command line or escape a
 * path), or `undefined` when it is fine.
 */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (/\s/.test(name)) return 'must not contain whitespace';
  if (name.includes('/')) return 'must not contain "/"';
  if (name.includes('..')) return 'must not contain ".."';
  if (name.startsWith('-')) return 'must not start with "-"';
  if (!SAFE_NAME.test(name)) {
    const bad = [...name].find((c) => !/[A-Za-z0-9_.-]/.test(c)) ?? '?';
    return `must not contain ${JSON.stringify(bad)}; allowed characters are letters, digits, "_", "." and "-"`;
  }
  if (name === '.') return 'must not be "."';
  if (name.length > 64) return 'must be at most 64 characters';
  return undefined;
}

/** Linux caps interface names at IFNAMSIZ - 1 characters. */
export const MAX_IFNAME = 15;

/** Why `name` is not a safe Linux interface name, or `undefined` when it is fine. */
export function unsafeIfNameReason(name: string): string | undefined {
  const base = unsafeNameReason(name);
  if (base !== undefined && !base.startsWith('must be at most')) return base;
  if (name.includes(':')) return 'must not contain ":"';
  if (name.length > MAX_IFNAME) return `is ${name.length} characters long; Linux allows at most ${MAX_IFNAME}`;
  return undefined;
}

/** Edit distance with adjacent transpositions (optimal string alignment), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate to `word` within a small edit distance, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
