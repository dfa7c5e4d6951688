// smokeActivity: the smallest end-to-end proof that this host worker can drive Docker and OVS.
// Creates (or finds) a labelled busybox container and a marked OVS bridge, holds them while
// heartbeating, removes both. A retry after a killed worker finds what the first attempt left and
// cleans it up: nothing is created twice.
import { docker, dockerMessage, dockerStatus, isOurs, labLabels } from './docker/client';
import { forceRemove } from './docker/containers';
import { createEnsureBridge, type Datapath } from './links/wire';
import { vsctl } from './links/ovs';
import { cancelSignal, heartbeat, permanent, sleep } from './util';

export const SMOKE_IMAGE = 'archetype/busybox:latest';

export interface SmokeInput {
  token: string;
  holdMs?: number;
}

export function createSmokeActivity(defaults: { hostId: string; datapath: Datapath }) {
  const ensureBridge = createEnsureBridge(defaults);
  return async function smokeActivity(input: SmokeInput): Promise<{ container: string; bridge: string }> {
    const token = input?.token;
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{1,9}$/.test(token)) {
      throw permanent(`invalid smoke token ${JSON.stringify(token)}: 1-9 letters, digits, "_" or "-"`, 'InvalidInput');
    }
    const container = `arch-smoke-${token}`;
    const bridge = `arsmk-${token}`;
    const lab = `smoke-${token}`;
    const labels = labLabels(lab, defaults.hostId, 'smoke');

    let info = await docker().getContainer(container).inspect().catch((err) => {
      if (dockerStatus(err) === 404) return undefined;
      throw err;
    });
    if (info && !isOurs(info.Config.Labels, lab, 'smoke')) {
      throw permanent(`a container named ${container} exists on host ${defaults.hostId} and is not Archetype's smoke container`, 'NameConflict');
    }
    if (!info) {
      try {
        await docker().createContainer({ name: container, Image: SMOKE_IMAGE, Labels: labels, HostConfig: { RestartPolicy: { Name: 'no' }, NetworkMode: 'none' } });
      } catch (err) {
        if (dockerStatus(err) === 404) throw permanent(`smoke image ${SMOKE_IMAGE} is not present on host ${defaults.hostId}: run scripts/images.sh`, 'ImageNotFound');
        if (dockerStatus(err) !== 409) throw new Error(`creating ${container}: ${dockerMessage(err)}`);
      }
      info = await docker().getContainer(container).inspect();
    }
    if (!info.State.Running) {
      await docker().getContainer(container).start().catch((err) => {
        if (dockerStatus(err) !== 304) throw err;
      });
    }
    await ensureBridge({ lab, bridge, hostId: defaults.hostId });

    const signal = cancelSignal();
    const until = Date.now() + Math.max(0, input.holdMs ?? 0);
    while (Date.now() < until && !signal?.aborted) {
      heartbeat({ holding: container });
      await sleep(Math.min(1000, until - Date.now()));
    }
    await forceRemove(container);
    await vsctl(['--if-exists', 'del-br', bridge]);
    return { container, bridge };
  };
}
