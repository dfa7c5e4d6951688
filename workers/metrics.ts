// Event-loop lag is the metric that matters most here: the agents Archetype replaces died of a
// blocked event loop. Every process exports prom-client's default metrics (which include
// nodejs_eventloop_lag_seconds and the event-loop delay percentiles) and warns when the loop stalls.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import client from 'prom-client';

let started = false;

export function startProcessMetrics(processName: string, log: (msg: string) => void = console.warn): void {
  if (started) return;
  started = true;
  client.collectDefaultMetrics({ labels: { process: processName }, eventLoopMonitoringPrecision: 20 });
  const hist = monitorEventLoopDelay({ resolution: 20 });
  hist.enable();
  const timer = setInterval(() => {
    const p99ms = hist.percentile(99) / 1e6;
    if (p99ms > 200) log(`[${processName}] event loop stalled: p99 delay ${p99ms.toFixed(0)} ms over the last 30 s`);
    hist.reset();
  }, 30_000);
  timer.unref();
}

export function metricsText(): Promise<string> {
  return client.register.metrics();
}

export const metricsContentType = client.register.contentType;

/** Serves /metrics on the given port (workers have no HTTP server of their own). */
export function serveMetrics(port: number, host = '127.0.0.1'): http.Server {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') { res.writeHead(404).end(); return; }
    metricsText().then((text) => {
      res.writeHead(200, { 'content-type': metricsContentType }).end(text);
    }, (err) => { res.writeHead(500).end(String(err)); });
  });
  server.on('error', (err) => console.warn(`metrics server on ${host}:${port}: ${err.message}`));
  server.listen(port, host);
  server.unref();
  return server;
}
