import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../infra/config/config';
import { startEmbeddedDatabase } from './embedded-database';
import { startTemporalDevServer } from './temporal-dev-server';

export interface LocalStack {
  config: AppConfig;
  temporalUiUrl?: string;
  stop(): Promise<void>;
}

/** A credentials key kept beside the embedded data, so sealed channel secrets stay readable across restarts. */
function localCredentialsKey(dataDir: string): Buffer {
  const file = join(dataDir, 'credentials.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/**
 * Fills in what the environment left out with local parts: an embedded PostgreSQL for DATABASE_URL, a Temporal
 * dev server for TEMPORAL_ADDRESS, a generated key for CREDENTIALS_KEY. Stops what it started, in reverse.
 */
export async function startLocalStack(
  config: AppConfig,
  log: (line: string) => void,
  needs: { temporal: boolean } = { temporal: true },
): Promise<LocalStack> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o755 });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error) => log(`while stopping: ${error}`));
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const database = await startEmbeddedDatabase(config.dataDir, config.embeddedPgPort, log);
      stops.push(database.stop);
      databaseUrl = database.url;
    }
    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress && needs.temporal) {
      const temporal = await startTemporalDevServer(config.dataDir, { port: config.temporal.devPort, uiPort: config.temporal.uiPort }, log);
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }
    return {
      config: {
        ...config,
        databaseUrl,
        // The dev server's own UI, unless the environment names another.
        temporal: { ...config.temporal, address: temporalAddress, uiUrl: config.temporal.uiUrl ?? temporalUiUrl },
        credentialsKey: config.credentialsKey ?? localCredentialsKey(config.dataDir),
      },
      temporalUiUrl,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
