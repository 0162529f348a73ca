import { Client } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EntityManager } from 'typeorm';
import { TemporalLifecycleLookup } from '../libs/adapters/temporal/lifecycle-lookup';
import { InvariantName, InvariantsChecker } from '../libs/modules/invariants';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { BANS, b2cOrder } from '../libs/dev/fixtures';

const CLI = join(__dirname, '..', 'dist/apps/cli/main.js');

/**
 * The checker on a real service's database: clean after real issuing, and each invariant broken on purpose (inside a
 * transaction rolled back afterwards, triggers and foreign keys off where the database itself would refuse) is seen.
 */
describe('the invariant checker', () => {
  let stack: TestStack;
  let lookup: TemporalLifecycleLookup;
  const invoice = (number: string) => stack.http().get(`/api/v1/sellers/${BANS.seller}/invoices/${number}`).set(stack.admin()).then((r) => r.body);
  const accepted = ['AB10000000', 'AB10000001', 'AB10000002'];

  /** Breaks something in a transaction, runs the checker inside it, and rolls it all back. */
  async function brokenBy(sql: string[], replica = false) {
    const runner = stack.db.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      if (replica) await runner.query(`SET LOCAL session_replication_role = replica`);
      for (const statement of sql) await runner.query(statement);
      return await new InvariantsChecker(runner.manager as EntityManager).check(lookup);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }
  const named = (report: { violations: { invariant: InvariantName; subject: string }[] }, invariant: InvariantName) =>
    report.violations.filter((v) => v.invariant === invariant).map((v) => v.subject);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
    stack = await startTestStack();
    await seedSeller(stack, 100);
    lookup = new TemporalLifecycleLookup(stack.app.get(Client));
    for (const [i, number] of accepted.entries()) {
      await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder(`INV-${i}`)).expect(201);
      await eventually(() => invoice(number), (body) => body.status === 'accepted');
    }
    // One invoice waiting on the platform: open, with its lifecycle workflow running.
    stack.simulator.settings.outage = true;
    await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder('INV-OPEN')).expect(201);
    await eventually(() => invoice('AB10000003'), (body) => body.status === 'uploading');
  });
  afterAll(() => stack.close());

  it('finds nothing wrong after real issuing, and asks Temporal about the open invoice', async () => {
    const report = await new InvariantsChecker(stack.db.dataSource).check(lookup);
    expect(report.violations).toEqual([]);
    expect(report.checked).toContain('invoices.without_lifecycle');
    expect(await lookup.status(BANS.seller, 'AB10000003')).toBe('running');
    expect(await lookup.status(BANS.seller, 'AB10000000')).toBe('completed');
  });

  it('says which check it skipped without a Temporal server', async () => {
    const report = await new InvariantsChecker(stack.db.dataSource).check();
    expect(report.skipped).toEqual([{ invariant: 'invoices.without_lifecycle', reason: expect.any(String) }]);
  });

  it('sees a number handed out twice', async () => {
    const [{ conname }] = await stack.db.dataSource.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'allocated_numbers'::regclass AND contype = 'u'`,
    );
    const report = await brokenBy([
      `ALTER TABLE allocated_numbers DROP CONSTRAINT ${conname}`,
      `INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number, channel_id)
         SELECT booklet_id, 40, seller_id, period, invoice_number, channel_id FROM allocated_numbers WHERE invoice_number = 'AB10000001'`,
    ], true);
    expect(named(report, 'numbers.duplicate')).toEqual(['AB10000001']);
  });

  it('sees a number that is not its booklet\'s', async () => {
    const report = await brokenBy([`UPDATE allocated_numbers SET invoice_number = 'AB10000049' WHERE invoice_number = 'AB10000002'`], true);
    expect(named(report, 'numbers.out_of_range')).toEqual(expect.arrayContaining(['AB10000049', 'AB10000002']));
  });

  it('sees a number allocated but never used', async () => {
    const report = await brokenBy([
      `UPDATE booklets SET next_seq = next_seq + 1 WHERE track = 'AB' AND start_no = 10000000`,
      `INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number)
         SELECT id, next_seq - 1, seller_id, period, 'AB' || lpad((start_no + next_seq - 1)::text, 8, '0') FROM booklets WHERE track = 'AB' AND start_no = 10000000`,
    ]);
    expect(named(report, 'numbers.allocated_unused')).toEqual(['AB10000004']);
  });

  it('sees a booklet holding more than 50 numbers', async () => {
    const report = await brokenBy([`UPDATE booklets SET next_seq = 1 WHERE track = 'AB' AND start_no = 10000000`], true);
    expect(named(report, 'booklets.over_full')).toEqual(['AB10000000']);
  });

  it('sees an invoice not accepted yet off the deadline lists, and a message too', async () => {
    const report = await brokenBy([
      `UPDATE invoices SET deadline_state = 'done' WHERE invoice_number = 'AB10000003'`,
      `INSERT INTO invoice_messages (invoice_id, message_type, occurred_at, status, warn_at, due_at, legal_due_at, deadline_state)
         SELECT id, 'F0501', now(), 'pending', now(), now(), now(), 'done' FROM invoices WHERE invoice_number = 'AB10000000'`,
    ]);
    const subjects = named(report, 'deadlines.off_the_lists');
    expect(subjects).toHaveLength(2);
    expect(subjects).toEqual(expect.arrayContaining(['AB10000003', expect.stringMatching(/^AB10000000 F0501 /)]));
  });

  it('sees an invoice with something to upload whose workflow has ended', async () => {
    const report = await brokenBy([`UPDATE invoices SET status = 'uploading', deadline_state = 'on_time', accepted_at = NULL WHERE invoice_number = 'AB10000001'`]);
    expect(report.violations).toEqual([
      { invariant: 'invoices.without_lifecycle', subject: 'AB10000001', message: expect.stringContaining('workflow is completed') },
    ]);
  });

  it('as `check-invariants`: exit code 0 on the clean database, 1 and the list once something is off', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: stack.db.url,
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_NAMESPACE: stack.config.temporal.namespace,
    };
    const run = (): Promise<{ code: number; stdout: string; stderr: string }> =>
      promisify(execFile)(process.execPath, [CLI, 'check-invariants'], { env }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    const clean = await run();
    expect(clean).toMatchObject({ code: 0, stdout: '' });
    expect(clean.stderr).toContain('6 invariants checked, 0 skipped: 0 violation(s)');

    await stack.db.dataSource.query(`UPDATE invoices SET deadline_state = 'done' WHERE invoice_number = 'AB10000003'`);
    const broken = await run();
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^deadlines\.off_the_lists\tAB10000003\tstatus uploading/)]);
  });
});
