import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { RECONCILIATION_SCHEDULE_ID } from '../libs/adapters/temporal/reconciliation-schedule';
import { SWEEP_SCHEDULE_ID } from '../libs/adapters/temporal/maintenance-schedule';
import { BANS, b2cOrder } from '../libs/dev/fixtures';
import { TemporalServer, startTemporalServer } from '../libs/dev/temporal-server';
import { databaseUrl, withClient } from '../libs/infra/persistence/postgres-admin';
import { eventually } from './support/eventually';
import { testEnv } from './support/test-env';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';

/**
 * The production shape of Temporal, as docker-compose.yml runs it: the real server (not `start-dev`) with its history
 * and visibility in PostgreSQL, its schema set up by temporal-sql-tool. The service starts on it (namespace, the two
 * Schedules) and issues an invoice that the platform accepts.
 */
describe('the service on the Temporal server with PostgreSQL persistence', () => {
  const database = `einv_t_${testEnv('templateDatabase').split('_').pop()}_temporal_${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'einv-temporal-server-'));
  let server: TemporalServer;
  let stack: TestStack;

  beforeAll(async () => {
    server = await startTemporalServer({ adminUrl: testEnv('adminDatabaseUrl'), database, dataDir, log: () => undefined });
    stack = await startTestStack({ temporalAddress: server.address });
    await seedSeller(stack);
  });

  afterAll(async () => {
    await stack?.close();
    await server?.stop();
    await withClient(testEnv('adminDatabaseUrl'), async (admin) => {
      for (const name of [database, `${database}_visibility`]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its history in PostgreSQL, creates its Schedules and issues an invoice the platform accepts', async () => {
    const issued = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder('PG-TEMPORAL-1')).expect(201);
    const number: string = issued.body.number;
    const detail = await eventually(
      () => stack.http().get(`/api/v1/sellers/${BANS.seller}/invoices/${number}`).set(stack.admin()).then((r) => r.body),
      (body) => body.status === 'accepted',
    );
    expect(detail.status).toBe('accepted');

    const client = stack.app.get(Client);
    const schedules: string[] = [];
    for await (const schedule of client.schedule.list()) schedules.push(schedule.scheduleId);
    expect(schedules).toEqual(expect.arrayContaining([SWEEP_SCHEDULE_ID, RECONCILIATION_SCHEDULE_ID]));

    // The lifecycle's history is rows of the server's own PostgreSQL database, not a dev server's SQLite file.
    const [{ executions }] = await withClient(databaseUrl(testEnv('adminDatabaseUrl'), database), (db) =>
      db.query(`SELECT count(*)::int AS executions FROM executions`).then((r) => r.rows),
    );
    expect(executions).toBeGreaterThan(0);
  });
});
