import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/infra/config/config';
import { createLogger } from '../../libs/infra/logger/logger';
import { createApiApp } from './create-api-app';

/** The API alone, for deployments where PostgreSQL and Temporal run elsewhere (docker-compose, production). */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config, createLogger(config));
  app.enableShutdownHooks();
  await app.listen(config.port);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
