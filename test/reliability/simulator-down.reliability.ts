import { Client } from '@temporalio/client';
import { invoiceWorkflowId } from '../../libs/contracts/workflows';
import { TemporalLifecycleLookup } from '../../libs/adapters/temporal/lifecycle-lookup';
import { InvariantsChecker } from '../../libs/modules/invariants';
import { eventually } from '../support/eventually';
import { TestStack, seedSeller, startTestStack } from '../support/test-stack';
import { BANS, b2cOrder } from '../../libs/dev/fixtures';

const INVOICES = 10;
/**
 * Polling Turnkey's log retries at 0.5 s × 1.5ⁿ, capped at 15 s: by its 9th attempt a lifecycle has waited ~25 s,
 * past the longest interval, so the platform has been silent for longer than a retry window.
 */
const POLL_ATTEMPTS_DOWN = 9;
/** Turnkey counts as silent on a message this long after it was handed over (the service's default is an hour). */
const SILENT_SECONDS = 10;

/**
 * The MOF platform (the simulator) answers nothing for longer than a retry window: invoices wait delivered, none
 * fails or is given up, each raises `turnkey.silent`, and once the platform is back every one is accepted and its
 * alert resolved.
 */
describe('the platform down for longer than a retry window', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { TURNKEY_SILENT_SECONDS: String(SILENT_SECONDS) } });
    await seedSeller(stack, 100);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('keeps invoices waiting, then uploads them all once it is back', async () => {
    await stack.simulator.stop();
    const numbers: string[] = [];
    for (let i = 0; i < INVOICES; i++) {
      const response = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder(`DOWN-${i}`)).expect(201);
      numbers.push(response.body.number);
    }
    const client = stack.app.get(Client);
    const pollAttempts = () =>
      Promise.all(
        numbers.map(async (number) => {
          const description = await client.workflow.getHandle(invoiceWorkflowId(BANS.seller, number)).describe();
          return Math.max(0, ...(description.raw.pendingActivities ?? []).map((a) => a.attempt ?? 0));
        }),
      );
    await eventually(pollAttempts, (attempts) => attempts.every((a) => a >= POLL_ATTEMPTS_DOWN), 300_000);

    // Delivered into Turnkey's folder, no word back: neither accepted nor rejected, none given up.
    const waiting = await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE status IN ('uploading', 'sent')`);
    expect(waiting).toEqual([{ n: INVOICES }]);
    const failed = await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM turnkey_uploads WHERE outcome <> 'pending'`);
    expect(failed).toEqual([{ n: 0 }]);
    const lookup = new TemporalLifecycleLookup(client);
    expect(await Promise.all(numbers.map((n) => lookup.status(BANS.seller, n)))).toEqual(numbers.map(() => 'running'));
    const silentAlerts = async (state: string) =>
      (await stack.http().get(`/api/v1/alerts?kind=turnkey.silent&state=${state}&limit=100`).set(stack.admin()).expect(200)).body.alerts;
    const silent = await silentAlerts('open');
    expect(silent.map((a: { message: string }) => a.message.match(/invoice (\w+)/)![1]).sort()).toEqual([...numbers].sort());
    expect(silent[0]).toMatchObject({ severity: 'warning', subject: { type: 'invoice' }, message: expect.stringContaining('has no platform verdict yet') });

    stack.simulator.start(100);
    await eventually(
      () => stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE status = 'accepted'`),
      (rows: { n: number }[]) => rows[0].n === INVOICES,
      300_000,
    );
    expect(await silentAlerts('open')).toEqual([]);
    expect(await silentAlerts('resolved')).toHaveLength(INVOICES);
    const report = await new InvariantsChecker(stack.db.dataSource).check(lookup);
    expect(report.skipped).toEqual([]);
    expect(report.violations).toEqual([]);
  });
});
