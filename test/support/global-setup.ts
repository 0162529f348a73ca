import { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../libs/dev/embedded-database';
import { findOrBuildTemporalCli } from '../../libs/dev/temporal-cli';
import { openDatabase } from '../../libs/infra/persistence/data-source';
import { canConnect, databaseUrl, withClient } from '../../libs/infra/persistence/postgres-admin';
import { TEST_ENV } from './test-env';

declare global {
  var __einvTeardown: (() => Promise<void>) | undefined;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The dev server must start within the SDK's 5 s limit; on a loaded machine it sometimes does not, so retry. */
async function startTemporal(): Promise<TestWorkflowEnvironment> {
  const path = findOrBuildTemporalCli((line) => process.stderr.write(`${line}\n`));
  let lastError: unknown;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      return await TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1', extraArgs: ['--log-level', 'error'] },
      });
    } catch (error) {
      lastError = error;
      process.stderr.write(`Temporal dev server start attempt ${attempt} failed: ${error}\n`);
    }
  }
  throw lastError;
}

/**
 * Once per test run: a PostgreSQL (TEST_DATABASE_URL, else the local server on 5432, else an embedded one), a
 * migrated template database every test file copies, and one Temporal dev server.
 */
export default async function globalSetup(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  let adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  if (!(await canConnect(adminUrl, 2000))) {
    if (process.env.TEST_DATABASE_URL) throw new Error(`TEST_DATABASE_URL=${adminUrl} is not reachable`);
    const dataDir = join(__dirname, '..', '..', '.data', 'test');
    mkdirSync(dataDir, { recursive: true });
    const embedded = await startEmbeddedDatabase(dataDir, 54339, (line) => process.stderr.write(`${line}\n`));
    stops.push(embedded.stop);
    adminUrl = databaseUrl(embedded.url, 'postgres');
  }

  const template = `einv_template_${process.pid}`;
  await withClient(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  });
  const db = await openDatabase(databaseUrl(adminUrl, template), { poolSize: 1 });
  await db.destroy();

  const temporal = await startTemporal();
  stops.push(() => temporal.teardown());

  process.env[TEST_ENV.adminDatabaseUrl] = adminUrl;
  process.env[TEST_ENV.templateDatabase] = template;
  process.env[TEST_ENV.temporalAddress] = temporal.address;

  globalThis.__einvTeardown = async () => {
    await withClient(adminUrl, async (cleanup) => {
      const leftovers = await cleanup.query(`SELECT datname FROM pg_database WHERE datname LIKE 'einv_t_${process.pid}_%' OR datname = $1`, [template]);
      for (const { datname } of leftovers.rows) await cleanup.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    });
    for (const stop of stops.reverse()) await stop();
  };
}
