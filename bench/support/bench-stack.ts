import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/create-api-app';
import { TurnkeySimulator } from '../../apps/turnkey-simulator/turnkey-simulator';
import { createWorkerApp } from '../../apps/worker/create-worker-app';
import { startTemporalDevServer } from '../../libs/dev/temporal-dev-server';
import { startTemporalServer } from '../../libs/dev/temporal-server';
import { AppConfig, loadConfig } from '../../libs/infra/config/config';
import { withClient } from '../../libs/infra/persistence/postgres-admin';
import { BENCH_ADMIN_URL, withScratchDatabase } from './scratch-database';
import { CpuGroups } from './process-cpu';
import { BareWorker, startBareWorker } from './bare-worker';
import { NodeProcess, startNodeProcess } from './node-process';
import { BANS, freePort, mofCsv } from '../../libs/dev/fixtures';

/** `dev`: the CLI's `start-dev` on a SQLite file; `postgres`: the real temporal-server on the bench's PostgreSQL. */
export type BenchTemporal = 'dev' | 'postgres';

export function benchTemporalModes(): BenchTemporal[] {
  const raw = process.env.BENCH_TEMPORAL ?? 'dev';
  if (raw === 'both') return ['dev', 'postgres'];
  if (raw === 'dev' || raw === 'postgres') return [raw];
  throw new Error(`BENCH_TEMPORAL must be dev, postgres or both, got ${JSON.stringify(raw)}`);
}

interface BenchTemporalServer {
  address: string;
  pid: number;
  describe: string;
  /** The server's own databases (none for the dev server). */
  databases: string[];
  stop(): Promise<void>;
}

const verbose = (line: string) => {
  // An overloaded server logs every task it had to retry; BENCH_VERBOSE=1 shows those.
  if (process.env.BENCH_VERBOSE) console.error(line);
};

async function startBenchTemporal(mode: BenchTemporal, dataDir: string): Promise<BenchTemporalServer> {
  if (mode === 'dev') {
    const server = await startTemporalDevServer(dataDir, { port: await freePort(), uiPort: await freePort() }, verbose);
    return { ...server, describe: 'Temporal CLI dev server (SQLite file)', databases: [] };
  }
  const database = `bench_temporal_${randomBytes(4).toString('hex')}`;
  const databases = [database, `${database}_visibility`];
  const drop = () => withClient(BENCH_ADMIN_URL, async (admin) => {
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  try {
    const server = await startTemporalServer({ adminUrl: BENCH_ADMIN_URL, database, dataDir: join(dataDir, 'temporal-server'), log: verbose });
    return {
      ...server,
      describe: 'temporal-server on PostgreSQL',
      databases,
      stop: async () => {
        await server.stop();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/**
 * `apart` (default): API, worker and simulator each in a process of its own, as production runs them; `one`: all in
 * the bench's own process, as `npm start` does.
 */
export type BenchProcesses = 'one' | 'apart';

export function benchProcesses(): BenchProcesses {
  const raw = process.env.BENCH_PROCESSES ?? 'apart';
  if (raw === 'one' || raw === 'apart') return raw;
  throw new Error(`BENCH_PROCESSES must be one or apart, got ${JSON.stringify(raw)}`);
}

/** How many `start:worker` processes run with `apart` (BENCH_WORKERS, default 1): the figure per added worker. */
export function benchWorkers(): number {
  const raw = process.env.BENCH_WORKERS ?? '1';
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1 || workers > 8) throw new Error(`BENCH_WORKERS must be 1 to 8, got ${JSON.stringify(raw)}`);
  return workers;
}

export interface BenchStack {
  mode: BenchTemporal;
  processes: BenchProcesses;
  /** Worker processes (`apart`; one in-process worker with `one`). */
  workers: number;
  /** What the figures were taken on, for their title. */
  temporalServer: string;
  temporalAddress: string;
  /** The processes whose CPU each run reports. */
  cpu: CpuGroups;
  db: DataSource;
  config: AppConfig;
  client: Client;
  http(): ReturnType<typeof request>;
  admin: { Authorization: string };
  /** A worker for the bare lifecycle, set up as ours is (in this process, or in one of its own). */
  startBareWorker(taskQueue: string): Promise<BareWorker>;
}

/** The PostgreSQL backends serving the Temporal server's databases. */
function backendsOf(db: DataSource, databases: string[]): () => Promise<number[]> {
  return async () => (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = ANY($1)`, [databases])).map((row: { pid: number }) => row.pid);
}

interface Services {
  http(): ReturnType<typeof request>;
  startBareWorker(taskQueue: string): Promise<BareWorker>;
  stop(): Promise<void>;
}

/** As `npm start` runs them: worker, API and simulator in one Node process, here the bench's own. */
async function inThisProcess(config: AppConfig, db: DataSource, nodes: Record<string, number[]>): Promise<Services> {
  let worker: INestApplicationContext | undefined;
  let api: INestApplication | undefined;
  let simulator: TurnkeySimulator | undefined;
  const stop = async () => {
    await simulator?.stop();
    await api?.close();
    await worker?.close();
  };
  try {
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await api.init();
    simulator = new TurnkeySimulator(config.turnkey.dir, db, { onError: (error) => console.error('turnkey simulator:', error) });
    simulator.start(100);
  } catch (error) {
    await stop();
    throw error;
  }
  nodes['node (bench, API, worker, simulator)'] = [process.pid];
  const server = api.getHttpServer();
  return {
    http: () => request(server),
    startBareWorker: (taskQueue) => startBareWorker(config.temporal.address!, config.temporal.namespace, taskQueue),
    stop,
  };
}

/** As production runs them: `start:api`, `start:worker` and the simulator each a Node process of its own. */
async function apart(env: Record<string, string>, port: number, workers: number, nodes: Record<string, number[]>): Promise<Services> {
  const dist = join(__dirname, '..', '..');
  const started: NodeProcess[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await child.stop();
  };
  nodes['node: bench'] = [process.pid];
  const start = async (name: string, script: string, ready: RegExp, extra: Record<string, string> = {}) => {
    const child = await startNodeProcess(name, join(dist, script), { ...env, ...extra }, ready);
    started.push(child);
    nodes[`node: ${name}`] = [...(nodes[`node: ${name}`] ?? []), child.pid];
    return child;
  };
  try {
    // Every worker's pid under one name: the column is what the workers take together.
    for (let i = 0; i < workers; i++) await start('worker', 'apps/worker/main.js', /polling task queue/);
    await start('API', 'apps/api/main.js', /successfully started/);
    await start('simulator', 'bench/support/simulator-main.js', /simulator started/);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    http: () => request(`http://127.0.0.1:${port}`),
    startBareWorker: (taskQueue) => start('bare worker', 'bench/support/bare-worker.js', /bare worker ready/, { BARE_TASK_QUEUE: taskQueue }),
    stop,
  };
}

/**
 * The whole service, as production (BENCH_PROCESSES=apart) or `npm start` (one) runs it: a scratch database, a
 * Temporal server of its own (a dev server on a fresh history file, or temporal-server on fresh databases), the
 * worker, the API and the MOF platform simulator. Everything is torn down afterwards.
 */
export async function withBenchStack(mode: BenchTemporal, processes: BenchProcesses, workers: number, body: (stack: BenchStack) => Promise<void>): Promise<void> {
  await withScratchDatabase(4, async (db, url) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'einv-bench-'));
    const temporal = await startBenchTemporal(mode, dataDir);
    const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: temporal.address,
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      ADMIN_API_KEY: adminKey,
      DATA_DIR: dataDir,
      TURNKEY_DIR: join(dataDir, 'turnkey'),
      LOG_FORMAT: 'json',
    };
    const config = loadConfig(env);
    let services: Services | undefined;
    const connection = await Connection.connect({ address: temporal.address });
    try {
      // Filled in as processes start (the bare lifecycle's worker among them), so each sample reads them all.
      const pids: Record<string, number[]> = { temporal: [temporal.pid] };
      services = processes === 'one' ? await inThisProcess(config, db, pids) : await apart(env, port, workers, pids);
      const cpu: CpuGroups = {
        processes: pids,
        temporalBackends: temporal.databases.length > 0 ? backendsOf(db, temporal.databases) : undefined,
      };
      await body({
        mode,
        processes,
        workers: processes === 'one' ? 1 : workers,
        temporalServer: temporal.describe,
        temporalAddress: temporal.address,
        cpu,
        db,
        config,
        client: new Client({ connection }),
        http: services.http,
        admin: { Authorization: `Bearer ${adminKey}` },
        startBareWorker: services.startBareWorker,
      });
    } finally {
      await services?.stop();
      await connection.close();
      await temporal.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
/** A seller with a web channel and `numbers` invoice numbers (a multiple of 50) in the period of today. */
export async function seedBenchSeller(stack: BenchStack, numbers: number): Promise<void> {
  const { http, admin } = stack;
  await http().post('/api/v1/sellers').set(admin).send({ ban: BANS.seller, name: '範例股份有限公司', address: '臺北市中正區' }).expect(201);
  await http().post(`/api/v1/sellers/${BANS.seller}/channels`).set(admin).send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] }).expect(201);
  const now = new Date(Date.now() + 8 * 3600_000);
  const period = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const end = 10000000 + Math.ceil(numbers / 50) * 50 - 1;
  await http()
    .post(`/api/v1/sellers/${BANS.seller}/tracks/import`)
    .set(admin)
    .attach('file', mofCsv(BANS.seller, [{ track: 'AB', start: '10000000', end: String(end), period }]), 'invnoapply.csv')
    .expect(201);
}
