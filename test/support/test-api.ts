import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApiApp } from '../../apps/api/create-api-app';
import { ensureNamespace } from '../../libs/dev/temporal-server';
import { AppConfig, loadConfig } from '../../libs/infra/config/config';
import { TestDatabase, createTestDatabase } from './test-database';
import { testEnv } from './test-env';

export interface TestApi {
  app: INestApplication;
  db: TestDatabase;
  config: AppConfig;
  adminKey: string;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/** Parts of its own a test may bring: a Temporal server, a migrated database (close() calls its drop). */
export interface OwnParts {
  temporalAddress?: string;
  database?: TestDatabase;
}

/**
 * The real Nest app on a database of its own, with the run's Temporal dev server (or the test's own parts); requests
 * go through HTTP.
 */
export async function startTestApi(env: NodeJS.ProcessEnv = {}, own: OwnParts = {}): Promise<TestApi> {
  const temporalAddress = own.temporalAddress ?? testEnv('temporalAddress');
  const db = own.database ?? (await createTestDatabase());
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  // A task queue of its own, so workers of other test files never pick up this file's workflows.
  // A namespace of its own too: every file issues AB10000000 for the same seller, and workflow ids carry both.
  const namespace = await createTestNamespace(temporalAddress);
  const base = loadConfig({ TEMPORAL_TASK_QUEUE: `einv-test-${randomBytes(4).toString('hex')}`, TEMPORAL_NAMESPACE: namespace, ...env });
  const config: AppConfig = {
    ...base,
    databaseUrl: db.url,
    temporal: { ...base.temporal, address: temporalAddress },
    credentialsKey: randomBytes(32),
    adminApiKey: adminKey,
  };
  const app = await createApiApp(config);
  await app.init();
  return {
    app,
    db,
    config,
    adminKey,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

async function createTestNamespace(address: string): Promise<string> {
  const namespace = `einv-test-${randomBytes(4).toString('hex')}`;
  await ensureNamespace(address, namespace, { retentionDays: 1, timeoutMs: 30_000 });
  return namespace;
}
