import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/infra/persistence/data-source';
import { databaseUrl, withClient } from '../../libs/infra/persistence/postgres-admin';
import { testEnv } from './test-env';

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

const admin = <T>(work: (client: Client) => Promise<T>) => withClient(testEnv('adminDatabaseUrl'), work);

/** A fresh, migrated database of its own for one test file: a copy of the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const parentPid = testEnv('templateDatabase').split('_').pop();
  const name = `einv_t_${parentPid}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${testEnv('templateDatabase')}`));
  const url = databaseUrl(testEnv('adminDatabaseUrl'), name);
  const dataSource = await createDataSource(url, { poolSize: 25 }).initialize();
  return {
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
