// POSIX path helpers as pure string functions (the lab model may not import node:path).

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/');
}

/** Normalise a POSIX path: collapse `//`, `.` and `..` (never above `/` for absolute paths). */
export function normalizePath(p: string): string {
  const abs = isAbsolutePath(p);
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (abs) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Folder part of a path (`/a/b/c.yml` → `/a/b`). */
export function dirnamePath(p: string): string {
  const n = normalizePath(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return n.slice(0, i);
}

/** Resolve `p` against the absolute folder `base`, as containerlab does for relative paths. */
export function resolvePath(base: string, p: string): string {
  if (isAbsolutePath(p)) return normalizePath(p);
  return normalizePath(`${base}/${p}`);
}

/** Whether the normalised absolute path `p` is `root` or inside it. */
export function isInsidePath(p: string, root: string): boolean {
  const np = normalizePath(p);
  const nr = normalizePath(root);
  if (nr === '/') return true;
  return np === nr || np.startsWith(nr + '/');
}

/** The host side of a validated Docker-style bind `src:dst[:options]`. */
export function bindSource(bind: string): string {
  return bind.split(':')[0];
}
