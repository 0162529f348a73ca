import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../libs/infra/persistence/data-source';
import { databaseUrl, withClient } from '../../libs/infra/persistence/postgres-admin';

/** BENCH_DATABASE_URL: an admin connection to the PostgreSQL the benchmarks create their scratch databases on. */
export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh migrated database `bench_<random>` for the body, dropped afterwards whatever happens. */
export async function withScratchDatabase<T>(poolSize: number, body: (db: DataSource, url: string) => Promise<T>): Promise<T> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  await withClient(BENCH_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(BENCH_ADMIN_URL, name);
  let db: DataSource | undefined;
  try {
    db = await openDatabase(url, { poolSize });
    return await body(db, url);
  } finally {
    if (db?.isInitialized) await db.destroy();
    await withClient(BENCH_ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}
