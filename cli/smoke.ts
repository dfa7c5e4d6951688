// Runs the smoke workflow straight through Temporal (no API needed): proves the chain
// client → Temporal → control worker → host worker → Docker and OVS.
import { Client, Connection } from '@temporalio/client';
import type { ArchetypeConfig } from '../config';
import { CONTROL_TASK_QUEUE } from '../lab/queues';
import { HostIdKey, OperationKey } from '../workflows/defs';

export async function smokeCommand(config: ArchetypeConfig, hostId: string): Promise<number> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  try {
    const client = new Client({ connection, namespace: config.temporalNamespace });
    const token = `${Date.now().toString(36)}`;
    const workflowId = `smoke:${hostId}:${token}`;
    const handle = await client.workflow.start('smokeWorkflow', {
      taskQueue: CONTROL_TASK_QUEUE, workflowId, args: [{ hostId, token, holdMs: 0 }],
      typedSearchAttributes: [{ key: OperationKey, value: 'smoke' }, { key: HostIdKey, value: hostId }],
    });
    console.log(`smoke workflow ${workflowId}: ${config.temporalUiUrl}/namespaces/${config.temporalNamespace}/workflows/${encodeURIComponent(workflowId)}/${handle.firstExecutionRunId}/history`);
    const result = await handle.result();
    console.log(`smoke ok on host ${hostId}: created and removed container ${result.container} and bridge ${result.bridge}`);
    return 0;
  } finally {
    await connection.close();
  }
}
