import { PoolClient } from 'pg';
import { EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from '../libs/infra/persistence/pg-errors';
import { TestDatabase, createTestDatabase } from './support/test-database';

/**
 * A connection cut by the server (what a PostgreSQL restart does to every session), made deterministic with
 * pg_terminate_backend: the service must neither crash on the driver's error event nor answer 500 for it.
 */
describe('a database connection cut by the server', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.drop());

  const terminate = (pid: number) => db.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);

  it('is heard on a pooled connection that no query and no query runner is listening on', async () => {
    const pool = (db.dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
    const client = await pool.connect();
    const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    // Unheard, the server's FATAL notice would be thrown out of the socket handler and fail this test file.
    await terminate(pid);
    await ended;
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release();
  });

  /** A transaction whose connection the server cuts after its first statement; `then` runs after the cut. */
  const cutTransaction = (then: (manager: EntityManager) => Promise<unknown>) =>
    db.dataSource
      .transaction(async (manager) => {
        const [{ pid }] = await manager.query('SELECT pg_backend_pid() AS pid');
        const connection = (manager.queryRunner as unknown as { databaseConnection: PoolClient }).databaseConnection;
        const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
        await terminate(pid);
        await ended;
        await then(manager);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

  it('is "unavailable" when it happens between two statements of a transaction', async () => {
    const cut = await cutTransaction((manager) => manager.query('SELECT 1'));
    expect(cut).toBeDefined();
    expect(isDatabaseUnavailable(cut)).toBe(true);
  });

  it('is "unavailable" when it happens before the COMMIT', async () => {
    const cut = await cutTransaction(async () => undefined);
    expect(cut).toBeDefined();
    expect(isDatabaseUnavailable(cut)).toBe(true);
  });

  it('is not confused with a request the database refuses', async () => {
    const refused = await db.dataSource.query('SELECT 1/0').catch((error: unknown) => error);
    expect(isDatabaseUnavailable(refused)).toBe(false);
  });
});
