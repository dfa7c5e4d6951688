// A thin client for the REST API (Node's built-in fetch).
import type { LabState, OperationStarted } from '../workflows/defs';

export class CliError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(message);
  }
}

export type LabView = LabState & { ui: { runs: string; current?: string; recent: string[] } };

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new CliError(`cannot reach the Archetype API at ${this.baseUrl} (${(err as Error).cause ?? (err as Error).message}); is the stack up? (npm start)`);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const e = json as { error?: string; errors?: { text: string }[] } | undefined;
      throw new CliError(e?.error ?? `${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`, e?.errors?.map((x) => x.text) ?? []);
    }
    return json as T;
  }

  putLab(body: { topology: string; filename?: string; files?: Record<string, string> }) {
    return this.call<{ lab: string; state: LabView }>('POST', '/labs', body);
  }
  lab(name: string) {
    return this.call<LabView>('GET', `/labs/${encodeURIComponent(name)}`);
  }
  labs() {
    return this.call<{ labs: { name: string; status: string; nodes: number; links: number; operation?: string; error?: string }[] }>('GET', '/labs');
  }
  deploy(name: string) {
    return this.call<OperationStarted & { url: string }>('POST', `/labs/${encodeURIComponent(name)}/deploy`);
  }
  destroy(name: string) {
    return this.call<OperationStarted & { url: string }>('POST', `/labs/${encodeURIComponent(name)}/destroy`);
  }
  remove(name: string) {
    return this.call<void>('DELETE', `/labs/${encodeURIComponent(name)}`);
  }
}
