// Heartbeats every activity while it runs, so that when a host worker dies (SIGKILL, reboot) the
// server notices within the heartbeat timeout and retries the activity on a live worker, instead of
// waiting out the whole start-to-close timeout. Activities with progress to report heartbeat
// themselves as well; cancellation also reaches activities only through heartbeats.
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';

export class AutoHeartbeatInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context, private readonly intervalMs: number) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const timer = setInterval(() => this.ctx.heartbeat(), this.intervalMs);
    try {
      return await next(input);
    } finally {
      clearInterval(timer);
    }
  }
}

export function autoHeartbeat(intervalMs = 3000) {
  return (ctx: Context) => ({ inbound: new AutoHeartbeatInterceptor(ctx, intervalMs) });
}
