// ensureImage: the image is on this host afterwards, pulled when it was missing.
import { docker, dockerMessage, dockerStatus } from './client';
import { heartbeat, permanent, safeName } from '../util';

export interface EnsureImageInput {
  image: string;
}

export interface EnsureImageResult {
  id: string;
  pulled: boolean;
}

/** Split `repo[:tag]` / `repo@digest` for the pull API (a registry port is not a tag). */
function pullRef(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

async function inspectId(image: string): Promise<string | undefined> {
  try {
    return (await docker().getImage(image).inspect()).Id;
  } catch (err) {
    if (dockerStatus(err) === 404) return undefined;
    throw err;
  }
}

/** Errors of a pull that no retry will fix: the name does not exist, access is denied, the registry cannot be reached or resolved. */
function permanentPullError(message: string, status: number | undefined): boolean {
  if (status === 404 || status === 401 || status === 403) return true;
  return /not found|manifest unknown|pull access denied|repository does not exist|unauthorized|denied|no such host|server misbehaving|dial tcp|connection refused|network is unreachable|i\/o timeout|invalid reference format|no basic auth/i.test(message);
}

export function createEnsureImage(hostId: string) {
  return async function ensureImage(input: EnsureImageInput): Promise<EnsureImageResult> {
    const image = safeName('image', input?.image);
    const present = await inspectId(image);
    if (present) return { id: present, pulled: false };

    const ref = pullRef(image);
    const fail = (reason: string) => {
      const unreachable = /no such host|server misbehaving|dial tcp|connection refused|network is unreachable|i\/o timeout/i.test(reason);
      const hint = unreachable
        ? ' (the registry cannot be reached from this host: load the image with `docker load` or build it here)'
        : ' (check the image name and tag, and registry credentials for private images)';
      return permanent(`image "${image}" is not present on host ${hostId} and could not be pulled: ${reason.trim()}${hint}`, 'ImageNotFound');
    };
    let stream: NodeJS.ReadableStream;
    try {
      heartbeat({ pulling: ref });
      stream = await docker().pull(ref);
    } catch (err) {
      const msg = dockerMessage(err);
      if (permanentPullError(msg, dockerStatus(err))) throw fail(msg);
      throw new Error(`pulling image "${image}" on host ${hostId}: ${msg}`);
    }
    // Follow the progress: the pull is done when the stream ends; errors arrive as `{error}` events.
    let lastError: string | undefined;
    await new Promise<void>((resolve, reject) => {
      let lastBeat = 0;
      docker().modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()), (event: {
        status?: string; progress?: string; id?: string; error?: string; errorDetail?: { message?: string };
      }) => {
        if (event.error) lastError = event.errorDetail?.message ?? event.error;
        const now = Date.now();
        if (now - lastBeat > 1000) {
          lastBeat = now;
          heartbeat({ pulling: ref, status: event.status, layer: event.id, progress: event.progress });
        }
      });
    }).catch((err) => {
      lastError ??= dockerMessage(err);
    });
    if (lastError) {
      if (permanentPullError(lastError, undefined)) throw fail(lastError);
      throw new Error(`pulling image "${image}" on host ${hostId}: ${lastError}`);
    }
    const id = await inspectId(image);
    if (!id) throw fail('the pull finished but the image is still missing');
    return { id, pulled: true };
  };
}
