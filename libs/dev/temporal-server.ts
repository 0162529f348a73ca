import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { withClient } from '../infra/persistence/postgres-admin';

/** The server the CLI v1.5.1 embeds (`temporal --version`: Server 1.29.1): the same code, with real persistence. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
const STOP_GRACE_MS = 10_000;

export interface TemporalServerBuild {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: temporal/versioned and visibility/versioned. */
  schemaDir: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Beside the CLI's cache: one build per machine, reused by every clone and CI run. */
export function temporalServerCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'einvoice', 'temporal-server', TEMPORAL_SERVER_VERSION);
}

/**
 * `temporal-server` and Temporal's own schema tool `temporal-sql-tool`, built with Go from the server module at the
 * CLI's version (once per machine, about 3 minutes), and the module's PostgreSQL schema copied beside them.
 */
export function findOrBuildTemporalServer(log: (message: string) => void = () => undefined): TemporalServerBuild {
  const dir = temporalServerCacheDir();
  const build = { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool'), schemaDir: join(dir, 'schema', 'postgresql', 'v12') };
  if (isExecutable(build.server) && isExecutable(build.sqlTool) && existsSync(build.schemaDir)) return build;

  mkdirSync(dir, { recursive: true });
  log(`building temporal-server and temporal-sql-tool ${TEMPORAL_SERVER_VERSION} with Go into ${dir} (once per machine, a few minutes)`);
  const env = { ...process.env, GOBIN: dir, GOFLAGS: '-mod=mod' };
  for (const [command, name] of [['cmd/server', 'server'], ['cmd/tools/sql', 'sql']] as const) {
    execFileSync('go', ['install', `${MODULE}/${command}@${TEMPORAL_SERVER_VERSION}`], { env, stdio: 'inherit' });
    renameSync(join(dir, name), name === 'server' ? build.server : build.sqlTool);
  }
  const downloaded = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], { env, encoding: 'utf8' })) as { Dir: string };
  cpSync(join(downloaded.Dir, 'schema', 'postgresql', 'v12'), build.schemaDir, { recursive: true });
  return build;
}

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

function targetOf(adminUrl: string): PostgresTarget {
  const url = new URL(adminUrl);
  return { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/**
 * Creates the two databases (history and visibility) if missing, and brings their schema to the server's version
 * with temporal-sql-tool: `setup-schema -v 0.0` once, then `update-schema` over the versioned folders.
 */
export async function setUpTemporalSchema(build: TemporalServerBuild, adminUrl: string, database: string): Promise<void> {
  const pg = targetOf(adminUrl);
  for (const [name, folder] of [[database, 'temporal'], [`${database}_visibility`, 'visibility']] as const) {
    const fresh = await withClient(adminUrl, async (admin) => {
      const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rows.length > 0;
      if (!exists) await admin.query(`CREATE DATABASE "${name}"`);
      return !exists;
    });
    const tool = (...args: string[]) =>
      execFileSync(build.sqlTool, ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--pw', pg.password, '--db', name, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    if (fresh) tool('setup-schema', '-v', '0.0');
    tool('update-schema', '-d', join(build.schemaDir, folder, 'versioned'));
  }
}

export interface TemporalServerOptions {
  /** `postgres://…/postgres` of a role that may create databases. */
  adminUrl: string;
  /** History database; visibility goes to `<database>_visibility`. */
  database: string;
  /** The frontend's gRPC port (below 32768); free ones are found when not given. */
  port?: number;
  /** Where the server's config is written. */
  dataDir: string;
  log: (line: string) => void;
}

export interface TemporalServer {
  address: string;
  /** The temporal-server process: what a benchmark reads its CPU time from. */
  pid: number;
  stop(): Promise<void>;
}

/** The services' gRPC and membership ports: the server stores them as smallint, so all lie below 32768. */
interface ServerPorts {
  frontend: number;
  others: number[];
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function lowFreePorts(count: number, taken: number[]): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!ports.includes(port) && !taken.includes(port) && (await isFree(port))) ports.push(port);
  }
  return ports;
}

/** The production shape of the server: the four services in one process, PostgreSQL for history and visibility. */
function serverConfig(options: TemporalServerOptions, ports: ServerPorts): string {
  const pg = targetOf(options.adminUrl);
  const store = (name: string, maxConns: number) => `
    ${name}:
      sql:
        pluginName: postgres12
        databaseName: ${JSON.stringify(name === 'default' ? options.database : `${options.database}_visibility`)}
        connectAddr: ${JSON.stringify(`${pg.host}:${pg.port}`)}
        connectProtocol: tcp
        user: ${JSON.stringify(pg.user)}
        password: ${JSON.stringify(pg.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const grpc = [ports.frontend, ...ports.others.slice(0, 3)];
  const membership = ports.others.slice(3);
  const service = (name: string, index: number) => `
  ${name}:
    rpc:
      grpcPort: ${grpc[index]}
      membershipPort: ${membership[index]}
      bindOnLocalHost: true`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:${store('default', 20)}${store('visibility', 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:${service('frontend', 0)}${service('history', 1)}${service('matching', 2)}${service('worker', 3)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${ports.frontend}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(join(options.dataDir, 'dynamicconfig.yaml'))}
  pollInterval: 10s
`;
}

/**
 * As the project's dev server: one task queue partition (one server, a few workers; see temporal-dev-server.ts).
 * Unlike the CLI's dev server, search attributes are read from the cache, as in production.
 */
const DYNAMIC_CONFIG = `matching.numTaskqueueReadPartitions:
  - value: 1
matching.numTaskqueueWritePartitions:
  - value: 1
`;

/**
 * Registers a namespace and waits until the frontend serves workflow calls in it: a real server's namespace cache
 * refreshes every few seconds, so describing the namespace alone is not enough.
 */
export async function ensureNamespace(address: string, namespace: string, options: { retentionDays?: number; timeoutMs?: number } = {}): Promise<void> {
  const { retentionDays = 3, timeoutMs = 60_000 } = options;
  const connection = await Connection.connect({ address, connectTimeout: 5000 });
  try {
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(retentionDays * 24 * 3600) } });
    } catch (error) {
      if (!/already exists|AlreadyExists/i.test(String(error))) throw error;
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`namespace ${namespace} not served within ${timeoutMs / 1000} s: ${error}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await connection.close();
  }
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal-server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`temporal-server did not answer on ${address} within ${timeoutMs / 1000} s: ${lastError}`);
}

/**
 * The real Temporal server (not `start-dev`) on PostgreSQL, as `docker-compose.yml` runs it: schema set up with
 * temporal-sql-tool, the `default` namespace registered.
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const build = findOrBuildTemporalServer(options.log);
  await setUpTemporalSchema(build, options.adminUrl, options.database);
  const configDir = join(options.dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  const frontend = options.port ?? (await lowFreePorts(1, []))[0];
  const ports = { frontend, others: await lowFreePorts(7, [frontend]) };
  writeFileSync(join(configDir, 'einvoice.yaml'), serverConfig(options, ports));
  writeFileSync(join(options.dataDir, 'dynamicconfig.yaml'), DYNAMIC_CONFIG);
  const child = spawn(build.server, ['--root', options.dataDir, '--config', 'config', '--env', 'einvoice', '--allow-no-auth', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopping = false;
  const lastLines: string[] = [];
  const heard = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter((l) => l.trim())) {
      lastLines.push(line.trim());
      if (lastLines.length > 20) lastLines.shift();
      if (!stopping) options.log(`temporal-server: ${line.trim()}`);
    }
  };
  child.stdout?.on('data', heard);
  child.stderr?.on('data', heard);
  const address = `127.0.0.1:${frontend}`;
  try {
    await waitUntilServing(address, child, 60_000);
    await ensureNamespace(address, 'default');
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\nits last words:\n${lastLines.join('\n')}`);
  }
  return {
    address,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

if (require.main === module) {
  console.log(JSON.stringify(findOrBuildTemporalServer((message) => console.error(message))));
}
