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
import { AppConfig, loadConfig } from '../../libs/infra/config/config';
import { withScratchDatabase } from './scratch-database';
import { BANS, freePort, mofCsv } from '../../libs/dev/fixtures';

export interface BenchStack {
  db: DataSource;
  config: AppConfig;
  client: Client;
  api: INestApplication;
  worker: INestApplicationContext;
  http(): ReturnType<typeof request>;
  admin: { Authorization: string };
}

/**
 * The whole service in this process, as `npm start` runs it: a scratch database, a Temporal dev server of its own
 * (fresh history file), the worker, the API and the MOF platform simulator. Everything is torn down afterwards.
 */
export async function withBenchStack(body: (stack: BenchStack) => Promise<void>): Promise<void> {
  await withScratchDatabase(4, async (db, url) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'einv-bench-'));
    const temporal = await startTemporalDevServer(dataDir, { port: await freePort(), uiPort: await freePort() }, (line) => {
      // An overloaded dev server logs every task it had to retry; BENCH_VERBOSE=1 shows those.
      if (process.env.BENCH_VERBOSE) console.error(line);
    });
    const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
    const base = loadConfig({ TURNKEY_DIR: join(dataDir, 'turnkey'), DATA_DIR: dataDir });
    const config: AppConfig = { ...base, databaseUrl: url, temporal: { ...base.temporal, address: temporal.address }, credentialsKey: randomBytes(32), adminApiKey: adminKey };
    let worker: INestApplicationContext | undefined;
    let api: INestApplication | undefined;
    let simulator: TurnkeySimulator | undefined;
    const connection = await Connection.connect({ address: temporal.address });
    try {
      worker = await createWorkerApp(config);
      api = await createApiApp(config);
      await api.init();
      simulator = new TurnkeySimulator(config.turnkey.dir, db, { onError: (error) => console.error('turnkey simulator:', error) });
      simulator.start(100);
      const app = api;
      await body({ db, config, client: new Client({ connection }), api, worker, http: () => request(app.getHttpServer()), admin: { Authorization: `Bearer ${adminKey}` } });
    } finally {
      await simulator?.stop();
      await api?.close();
      await worker?.close();
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
