import { randomBytes } from 'node:crypto';
import { createDataSource } from '../libs/infra/persistence/data-source';
import { databaseUrl, withClient } from '../libs/infra/persistence/postgres-admin';

/**
 * Applies every migration to a scratch database, reverts them all, and applies them again: a migration that
 * cannot be undone, or leaves something behind, fails here before it lands.
 */
async function main(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `einv_migrations_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const db = await createDataSource(databaseUrl(adminUrl, name), { poolSize: 1 }).initialize();
  try {
    const applied = await db.runMigrations();
    for (let i = 0; i < applied.length; i++) await db.undoLastMigration();
    const tables = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`);
    if (tables.length > 0) throw new Error(`after reverting every migration these tables remain: ${tables.map((t: { tablename: string }) => t.tablename).join(', ')}`);
    await db.runMigrations();
    console.log(`migrations: ${applied.length} applied, reverted and re-applied on ${name}`);
  } finally {
    await db.destroy();
    await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE ${name} WITH (FORCE)`));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
