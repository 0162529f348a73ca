import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/infra/config/config';
import { createLogger } from '../../libs/infra/logger/logger';
import { createWorkerApp } from './create-worker-app';

/** The worker alone; scale out by running more of these against one Temporal cluster. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createWorkerApp(config, createLogger(config));
  app.enableShutdownHooks();
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
