// Small parsers for node fields: command strings, env files, published ports. Pure.

/**
 * Splits a command string into words the way a POSIX shell would for simple quoting, without any
 * expansion: blanks separate words; '…' keeps everything literally; "…" keeps everything except
 * that a backslash escapes `"`, `\`, `$` and a backquote; outside quotes a backslash escapes the
 * next character. `$VAR`, globs, pipes and redirections are NOT interpreted (they stay literal
 * words): write `sh -c '…'` for those. Throws on an unterminated quote.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i];
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote in ${JSON.stringify(command)}`);
      cur += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= command.length) throw new Error(`unterminated double quote in ${JSON.stringify(command)}`);
        const d = command[i];
        if (d === '"') { i++; break; }
        if (d === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1])) { cur += command[i + 1]; i += 2; continue; }
        cur += d;
        i++;
      }
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < command.length) cur += command[i + 1];
      inWord = true;
      i += 2;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/**
 * Parses an env file: `KEY=VALUE` lines; blank lines and lines starting with `#` are ignored; an
 * optional `export ` prefix is accepted; a value wholly wrapped in matching single or double quotes
 * is unwrapped (no other processing, no interpolation). Throws naming the line on anything else.
 */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, idx) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${idx + 1}: expected KEY=VALUE, got ${JSON.stringify(raw)}`);
    let value = m[2];
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    env[m[1]] = value;
  });
  return env;
}

export interface PortBinding {
  /** `containerPort/proto` */
  key: string;
  hostIp: string;
  hostPort: string;
}

/** Parses Docker-style `[ip:]hostPort:containerPort[/proto]` (also `containerPort[/proto]`, published on a random port). */
export function parsePort(spec: string): PortBinding {
  const m = /^(?:(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):)?(?:(\d{1,5})?:)?(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(spec.trim());
  if (!m) throw new Error(`invalid port publication ${JSON.stringify(spec)}: expected [ip:]hostPort:containerPort[/tcp|udp|sctp]`);
  const [, ip6, ip4, hostPort, containerPort, proto] = m;
  for (const p of [hostPort, containerPort]) {
    if (p !== undefined && (Number(p) < 1 || Number(p) > 65535)) throw new Error(`invalid port ${p} in ${JSON.stringify(spec)}`);
  }
  return { key: `${containerPort}/${proto ?? 'tcp'}`, hostIp: ip6 ?? ip4 ?? '', hostPort: hostPort ?? '' };
}
