import { Client } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemporalLifecycleLookup } from '../../libs/adapters/temporal/lifecycle-lookup';
import { openDatabase } from '../../libs/infra/persistence/data-source';
import { InvariantsChecker } from '../../libs/modules/invariants';
import { eventually } from '../support/eventually';
import { EmbeddedDatabaseProcess, startEmbeddedDatabaseProcess } from '../support/embedded-database-process';
import { TestStack, seedSeller, startTestStack } from '../support/test-stack';
import { BANS, b2cOrder, freePort } from '../../libs/dev/fixtures';

interface Answer {
  billingNo: string;
  status: number;
  code?: string;
  number?: string;
}

/**
 * PostgreSQL (an embedded cluster of this test's own, never the machine's) stopped and started again while orders
 * are issued one after another: each request is issued (201) or refused cleanly (503 SERVICE.UNAVAILABLE), nothing is
 * half-written, and the same service — no restart — issues again once the database is back.
 */
describe('PostgreSQL restarted during issuing', () => {
  let stack: TestStack;
  let pg: EmbeddedDatabaseProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'einv-pg-restart-'));
  let port: number;
  const answers: Answer[] = [];
  let issuing = true;

  const issueUntilStopped = async () => {
    for (let i = 0; issuing; i++) {
      const billingNo = `PGR-${i}`;
      const response = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder(billingNo));
      answers.push({ billingNo, status: response.status, code: response.body?.code, number: response.body?.number });
    }
  };

  beforeAll(async () => {
    port = await freePort();
    pg = await startEmbeddedDatabaseProcess(dataDir, port);
    const dataSource = await openDatabase(pg.url, { poolSize: 10 });
    stack = await startTestStack({ database: { url: pg.url, dataSource, drop: () => dataSource.destroy() } });
    await seedSeller(stack, 500);
  });
  afterAll(async () => {
    issuing = false;
    await stack?.close();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 201 or 503 with a code, writes nothing by halves, and recovers by itself', async () => {
    const loop = issueUntilStopped();
    await eventually(async () => answers.filter((a) => a.status === 201).length, (n) => n >= 5, 120_000);
    await pg.stop();
    await eventually(async () => answers.filter((a) => a.status === 503).length, (n) => n >= 3, 120_000);
    pg = await startEmbeddedDatabaseProcess(dataDir, port);
    const refusedBefore = answers.length;
    await eventually(async () => answers.slice(refusedBefore).filter((a) => a.status === 201).length, (n) => n >= 5, 180_000);
    issuing = false;
    await loop;

    const unexpected = answers.filter((a) => a.status !== 201 && !(a.status === 503 && a.code === 'SERVICE.UNAVAILABLE'));
    expect(unexpected).toEqual([]);
    // A refused order sent again is issued once: new (201), or already committed before the answer was lost (200).
    for (const refused of answers.filter((a) => a.status === 503)) {
      const again = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder(refused.billingNo));
      expect([200, 201]).toContain(again.status);
    }
    const issued: { billing_no: string; invoice_number: string }[] = await stack.db.dataSource.query(`SELECT billing_no, invoice_number FROM invoices ORDER BY invoice_number`);
    expect(new Set(issued.map((i) => i.billing_no))).toEqual(new Set(answers.map((a) => a.billingNo)));
    const numbers = issued.map((i) => Number(i.invoice_number.slice(2)));
    expect(numbers[numbers.length - 1] - numbers[0]).toBe(numbers.length - 1);

    await eventually(
      () => stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE status <> 'accepted'`),
      (rows: { n: number }[]) => rows[0].n === 0,
      300_000,
    );
    const report = await new InvariantsChecker(stack.db.dataSource).check(new TemporalLifecycleLookup(stack.app.get(Client)));
    expect(report.skipped).toEqual([]);
    expect(report.violations).toEqual([]);
  });
});
