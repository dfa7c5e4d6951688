// One dockerode client per process: DOCKER_HOST (unix:// or tcp://) or /var/run/docker.sock.
import Docker from 'dockerode';

let client: Docker | undefined;

export function docker(): Docker {
  if (!client) {
    const host = process.env.DOCKER_HOST;
    if (host?.startsWith('unix://')) client = new Docker({ socketPath: host.slice('unix://'.length) });
    else if (host?.startsWith('tcp://')) {
      const u = new URL(host.replace(/^tcp:/, 'http:'));
      client = new Docker({ host: u.hostname, port: Number(u.port || 2375) });
    } else client = new Docker({ socketPath: '/var/run/docker.sock' });
  }
  return client;
}

/** The HTTP status of a Docker API error (dockerode sets `statusCode`), or undefined. */
export function dockerStatus(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** The daemon's own message (`{"message": ...}`) when there is one, else the error's message. */
export function dockerMessage(err: unknown): string {
  const json = (err as { json?: { message?: string } } | undefined)?.json;
  if (json && typeof json.message === 'string') return json.message;
  const message = (err as { message?: string } | undefined)?.message ?? String(err);
  // dockerode prefixes "(HTTP code 500) server error - ": keep the daemon's own words.
  return message.replace(/^\(HTTP code \d+\)[^-]*- /, '').trim();
}

export const LABEL_LAB = 'archetype.lab';
export const LABEL_NODE = 'archetype.node';
export const LABEL_HOST = 'archetype.host';
export const LABEL_MANAGED = 'archetype.managed';

export function labLabels(lab: string, hostId: string, node?: string): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_LAB]: lab,
    [LABEL_HOST]: hostId,
    ...(node !== undefined ? { [LABEL_NODE]: node } : {}),
  };
}

/** True when the labels mark the object as Archetype's, for this lab (and node, when given). */
export function isOurs(labels: Record<string, string> | null | undefined, lab: string, node?: string): boolean {
  if (!labels || labels[LABEL_MANAGED] !== 'true' || labels[LABEL_LAB] !== lab) return false;
  return node === undefined || labels[LABEL_NODE] === node;
}
