import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';

/** Any constant both apps agree on: it only serialises migration runs. */
const MIGRATION_LOCK = 7_410_111;

/**
 * A pg client that never leaves an `error` event unheard. The pool hands a new connection to TypeORM one microtask
 * before TypeORM listens on it, and a server shutting down can send its FATAL notice in the same packet as
 * ready-for-query: unheard, that event crashes the process. Nothing is lost by hearing it here: a running query is
 * failed with the same error, and the pool drops the connection on release since it is no longer queryable.
 */
class ListenedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

export function createDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    // No entity classes: every table is read and written by its module's repository in SQL.
    entities: [],
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    extra: { max: options.poolSize ?? 20, Client: ListenedClient },
  });
}

/**
 * Opens a data source and brings the schema up to date. API and worker replicas start together, so the run is
 * serialised by a session advisory lock held on a connection of its own.
 */
export async function openDatabase(url: string, options: { poolSize?: number } = {}): Promise<DataSource> {
  const dataSource = await createDataSource(url, options).initialize();
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations();
  } catch (error) {
    await dataSource.destroy();
    throw error;
  } finally {
    await lock.end();
  }
  return dataSource;
}
