// Shared helpers of the host activities: input checks, failures, heartbeats and running commands
// (argument arrays through execa: never a shell string on the host).
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { execa } from 'execa';

/** Failure types the workflows treat as permanent (see workflows/host-activities.ts). */
export type FailureType = 'ImageNotFound' | 'InvalidInput' | 'NameConflict' | 'ExecFailed' | 'NodeMissing' | 'NodeExited';

export function permanent(message: string, type: FailureType, cause?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message, type, nonRetryable: true, cause: cause instanceof Error ? cause : undefined,
  });
}

/** Characters any name we pass to a command or to Docker may contain (defence in depth: the plan was validated upstream). */
const SAFE = /^[A-Za-z0-9_.:/@-]+$/;

/** Returns `value` when it is a safe name, else fails non-retryably naming the field. */
export function safeName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || !SAFE.test(value) || value.startsWith('-')) {
    throw permanent(`invalid ${field} ${JSON.stringify(value)}: only letters, digits and "_.:/@-" are allowed, and it must not start with "-"`, 'InvalidInput');
  }
  return value;
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** A Linux interface name (at most 15 characters, no "/" or ":"). */
export function safeIfName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !IFNAME.test(value) || value.startsWith('-') || value === '.' || value === '..') {
    throw permanent(`invalid ${field} ${JSON.stringify(value)}: a Linux interface name has 1-15 characters out of letters, digits and "_.-"`, 'InvalidInput');
  }
  return value;
}

export function safeInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw permanent(`invalid ${field} ${JSON.stringify(value)}: expected an integer between ${min} and ${max}`, 'InvalidInput');
  }
  return value;
}

/** Heartbeats when running inside an activity; a no-op when called outside one (scripts, tests). */
export function heartbeat(details?: unknown): void {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    return;
  }
  ctx.heartbeat(details);
}

/** The activity's cancellation signal, when running inside one. */
export function cancelSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

export function log(message: string): void {
  try {
    Context.current().log.info(message);
  } catch {
    console.log(`[archetype host] ${message}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program with an argument array (never through a shell). Resolves with the exit code
 * instead of throwing; `input` goes to stdin (for `ip -batch -`).
 */
export async function run(file: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const r = await execa(file, args, {
    reject: false, input: opts.input ?? '', timeout: opts.timeoutMs ?? 30_000, stripFinalNewline: true, env: { LC_ALL: 'C' },
  });
  if (r.failed && r.exitCode === undefined) {
    // Could not spawn, or killed by the timeout: transient as far as we can tell.
    throw new Error(`${file} ${args.join(' ')}: ${r.timedOut ? 'timed out' : r.shortMessage}`);
  }
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Like run() but throws (a retryable error) on a non-zero exit, with the command and its stderr. */
export async function mustRun(file: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(file, args, opts);
  if (r.exitCode !== 0) {
    const what = opts.input ? `${file} ${args.join(' ')} <<${JSON.stringify(opts.input.trim())}` : `${file} ${args.join(' ')}`;
    throw new Error(`${what} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
