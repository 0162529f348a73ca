import { Client } from '@temporalio/client';
import { ChildProcess } from 'node:child_process';
import pLimit from 'p-limit';
import { TemporalLifecycleLookup } from '../../libs/adapters/temporal/lifecycle-lookup';
import { InvariantsChecker } from '../../libs/modules/invariants';
import { eventually } from '../support/eventually';
import { TestStack, seedSeller, startTestStack } from '../support/test-stack';
import { killWorkerProcess, startWorkerProcess } from '../support/worker-process';
import { BANS, b2cOrder } from '../../libs/dev/fixtures';

const INVOICES = 80;

/**
 * The worker process SIGKILLed while lifecycles are writing F0401 files into Turnkey and polling for verdicts; a new
 * worker takes over. Every invoice must end accepted with exactly one accepted upload, and no number skipped.
 */
describe('a worker killed while invoices upload', () => {
  let stack: TestStack;
  let worker: ChildProcess | undefined;

  const statuses = async (): Promise<Record<string, number>> => {
    const rows: { status: string; n: number }[] = await stack.db.dataSource.query(`SELECT status, count(*)::int AS n FROM invoices GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  beforeAll(async () => {
    stack = await startTestStack({ withWorker: false });
    await seedSeller(stack, 200);
  });
  afterAll(async () => {
    if (worker) await killWorkerProcess(worker);
    await stack.close();
  });

  it('ends with every upload finished once, every invoice accepted and no gap', async () => {
    worker = startWorkerProcess(stack);
    const issue = pLimit(10);
    const numbers = await Promise.all(
      Array.from({ length: INVOICES }, (_, i) =>
        issue(async () => {
          const response = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder(`UP-${i}`));
          expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
          return response.body.number as string;
        }),
      ),
    );
    // Kill once uploads are under way: some invoices delivered or accepted, others still to write.
    const atKill = await eventually(statuses, (s) => (s.sent ?? 0) + (s.accepted ?? 0) >= 5 && (s.issued ?? 0) + (s.uploading ?? 0) >= 5, 240_000);
    await killWorkerProcess(worker);
    expect(atKill.accepted ?? 0).toBeLessThan(INVOICES);

    worker = startWorkerProcess(stack);
    await eventually(statuses, (s) => s.accepted === INVOICES, 300_000);

    const uploads: { number: string; accepted: number; pending: number }[] = await stack.db.dataSource.query(
      `SELECT i.invoice_number AS number, count(*) FILTER (WHERE u.outcome = 'accepted')::int AS accepted,
              count(*) FILTER (WHERE u.outcome = 'pending')::int AS pending
         FROM invoices i JOIN turnkey_uploads u ON u.invoice_id = i.id AND u.message_type = 'F0401'
        GROUP BY i.invoice_number ORDER BY i.invoice_number`,
    );
    expect(uploads).toHaveLength(INVOICES);
    expect(uploads.filter((u) => u.accepted !== 1 || u.pending !== 0)).toEqual([]);
    const sorted = numbers.map((n) => Number(n.slice(2))).sort((a, b) => a - b);
    expect(sorted[INVOICES - 1] - sorted[0]).toBe(INVOICES - 1);

    const report = await new InvariantsChecker(stack.db.dataSource).check(new TemporalLifecycleLookup(stack.app.get(Client)));
    expect(report.skipped).toEqual([]);
    expect(report.violations).toEqual([]);
  });
});
