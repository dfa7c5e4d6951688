// API process entry point.
import { loadConfig } from '../config';
import { buildApp } from './app';
import { LabService } from './lab-service';

export async function runApi(): Promise<void> {
  const config = loadConfig();
  const labs = await LabService.connect(config);
  const app = await buildApp(labs, { logger: true });
  await app.listen({ host: config.apiHost, port: config.apiPort });
  const shutdown = async () => {
    await app.close();
    await labs.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  runApi().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
