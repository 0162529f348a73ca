import 'reflect-metadata';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError, loadConfig } from '../../libs/infra/config/config';
import { LocalStack, startLocalStack } from '../../libs/dev/local-stack';
import { createDataSource, openDatabase } from '../../libs/infra/persistence/data-source';
import { TurnkeySimulator } from '../turnkey-simulator/turnkey-simulator';
import { createLogger } from '../../libs/infra/logger/logger';
import { createApiApp } from '../api/create-api-app';
import { createWorkerApp } from '../worker/create-worker-app';

/**
 * README command 1: the whole service on one machine. What the environment does not provide (database, Temporal)
 * is started locally; migrations are applied; then the worker and the API. Ctrl-C stops everything in reverse.
 */
async function main(): Promise<void> {
  const baseConfig = loadConfig();
  const logger = createLogger(baseConfig, 'local');
  const log = (line: string) => logger.log(line);
  let stack: LocalStack | undefined;
  let worker: INestApplicationContext | undefined;
  let api: INestApplication | undefined;
  let simulator: { stop(): Promise<void> } | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping API, worker, Temporal and PostgreSQL`);
    await api?.close();
    await worker?.close();
    await simulator?.stop();
    await stack?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    stack = await startLocalStack(baseConfig, log);
    const config = stack.config;
    const db = await openDatabase(config.databaseUrl!, { poolSize: 2 });
    log(`database ready, migrations applied (${(await db.query('SELECT count(*)::int AS n FROM migrations'))[0].n})`);
    if (config.turnkey.simulator) simulator = await startSimulator(config, db, log);
    else await db.destroy();
    worker = await createWorkerApp(config, createLogger(config));
    api = await createApiApp(config, createLogger(config));
    await api.listen(config.port);
    const base = `http://localhost:${config.port}`;
    process.stdout.write(
      [
        '',
        'e-Invoice back office is running',
        `  Dashboard    ${base}/  (sign in with a staff API key)`,
        `  API          ${base}/api/v1`,
        `  API docs     ${base}/docs`,
        `  Health       ${base}/health`,
        `  Temporal UI  ${stack.temporalUiUrl ?? '(external Temporal at ' + config.temporal.address + ')'}`,
        `  Turnkey      ${config.turnkey.dir}${config.turnkey.simulator ? ' (MOF platform simulator on; switches in simulator.json there)' : ''}`,
        `  Data         ${config.dataDir}`,
        config.adminApiKey ? '  Admin key    from ADMIN_API_KEY' : '  Admin key    create one: npm run cli -- create-admin-key --name <you>',
        '  Ctrl-C stops everything.',
        '',
      ].join('\n') + '\n',
    );
  } catch (error) {
    logger.error(error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    await api?.close().catch(() => undefined);
    await worker?.close().catch(() => undefined);
    await simulator?.stop().catch(() => undefined);
    await stack?.stop();
    process.exit(1);
  }
}

/**
 * Plays the MOF platform for development: consumes the UpCast files and writes Turnkey's result log, so the worker
 * reads outcomes exactly as it would from a real Turnkey.
 */
async function startSimulator(config: AppConfig, db: DataSource, log: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  let resultsDb = db;
  if (config.turnkey.databaseUrl) {
    await db.destroy();
    resultsDb = await createDataSource(config.turnkey.databaseUrl, { poolSize: 2 }).initialize();
  }
  const simulator = new TurnkeySimulator(config.turnkey.dir, resultsDb, {
    onProcessed: (result) => log(`turnkey simulator: ${result.file} → ${result.status}${result.errorCode ? ` ${result.errorCode} ${result.errorMessage}` : ''}`),
    onError: (error) => log(`turnkey simulator: ${error instanceof Error ? error.message : String(error)}`),
  });
  simulator.start();
  return {
    stop: async () => {
      await simulator.stop();
      await resultsDb.destroy();
    },
  };
}

void main();
