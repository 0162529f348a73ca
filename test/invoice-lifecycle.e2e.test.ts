import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { invoiceWorkflowId } from '../libs/contracts/workflows';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import { systemClock } from '../libs/adapters/clock/clock';
import { TurnkeyGateway } from '../libs/adapters/turnkey/turnkey.gateway';
import { InvoicesService, createInvoiceLifecycleService } from '../libs/modules/invoices';
import { SellersService } from '../libs/modules/sellers';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { BANS, b2cOrder } from '../libs/dev/fixtures';

const HOUR = 3600_000;

describe('the invoice lifecycle through HTTP, Temporal and the platform simulator', () => {
  let stack: TestStack;
  const invoice = (number: string) => stack.http().get(`/api/v1/sellers/${BANS.seller}/invoices/${number}`).set(stack.admin()).then((r) => r.body);
  const issue = (body: object) => stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(body);
  /** The invoice's alerts, any state, as `kind state` in kind order. */
  const alertsOf = async (number: string) => {
    const { body } = await stack.http().get('/api/v1/alerts?state=open,acknowledged,resolved&limit=200').set(stack.admin()).expect(200);
    return (body.alerts as { kind: string; state: string; detail: { invoiceNumber?: string } }[])
      .filter((a) => a.detail.invoiceNumber === number)
      .map((a) => `${a.kind} ${a.state}`)
      .sort();
  };
  /** Issued through the same service as the API, but dated in the past: deadlines are absolute, so no waiting. */
  const issueBackdated = async (order: InvoiceInput, issuedAt: Date) => {
    const app = stack.app;
    const seller = await app.get(SellersService).getSeller(BANS.seller);
    return (await app.get(InvoicesService).issue(seller, null, order, issuedAt)).invoice.invoiceNumber;
  };

  beforeAll(async () => {
    // The longest quick-verdict wait, so a loaded machine's simulator still answers within it.
    stack = await startTestStack({ env: { TURNKEY_QUICK_VERDICT_MS: '5000' } });
    await seedSeller(stack);
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    Object.assign(stack.simulator.settings, { outage: false, rejectNext: 0, rejectRate: 0, delayMs: 0 });
  });

  it('issues by API, uploads F0401 through Turnkey and reaches accepted, notifying the buyer once', async () => {
    const created = await issue(b2cOrder('SO-1', { buyer: { name: '王小明', email: 'ming@example.com' } })).expect(201);
    expect(created.body).toMatchObject({
      number: 'AB10000000',
      billingNo: 'SO-1',
      amounts: { sales: 360, tax: 0, total: 360 },
      status: 'issued',
      deadline: { state: 'on_time' },
    });
    expect(created.body.randomNumber).toMatch(/^\d{4}$/);
    const dueMs = Date.parse(created.body.deadline.dueAt) - Date.parse(created.body.issuedAt);
    expect(dueMs).toBe(48 * HOUR);

    const accepted = await eventually(() => invoice('AB10000000'), (body) => body.status === 'accepted');
    expect(accepted.deadline.state).toBe('done');
    expect(accepted.uploads).toEqual([expect.objectContaining({ messageType: 'F0401', outcome: 'accepted' })]);
    expect(accepted.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['issued', 'delivered', 'accepted']));

    await eventually(async () => stack.mails.filter((m) => m.to.includes('ming@example.com')).length, (n) => n >= 1);
    await eventually(() => invoice('AB10000000'), (body) => body.timeline.some((e: { kind: string }) => e.kind === 'mailed'));
    expect(stack.mails.filter((m) => m.to.includes('ming@example.com'))).toHaveLength(1);
    expect(stack.mails[0].raw).toContain('AB10000000');
  });

  it('is idempotent on BillingNo: the same order returns the same invoice, a different one is a conflict', async () => {
    const first = await issue(b2cOrder('SO-2')).expect(201);
    const again = await issue(b2cOrder('SO-2')).expect(200);
    expect(again.body.number).toBe(first.body.number);
    const different = await issue(b2cOrder('SO-2', { lines: [{ description: 'x', quantity: 1, unitPrice: 1, amount: 1 }] })).expect(409);
    expect(different.body).toMatchObject({ code: 'INVOICE.BILLING_NO_CONFLICT', message: expect.stringContaining(first.body.number) });
    const [{ count }] = await stack.db.dataSource.query(`SELECT count(*)::int AS count FROM invoices WHERE billing_no = 'SO-2'`);
    expect(count).toBe(1);
  });

  it('refuses an invalid order naming each field, and takes no number for it', async () => {
    const [{ before }] = await stack.db.dataSource.query(`SELECT count(*)::int AS before FROM allocated_numbers`);
    const bad = await issue({ ...b2cOrder('SO-3'), buyer: { ban: '12345678' }, lines: [{ description: 'x', quantity: 2, unitPrice: 10, amount: 25 }] }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['buyer.ban', 'lines[0].amount']));
    const [{ after }] = await stack.db.dataSource.query(`SELECT count(*)::int AS after FROM allocated_numbers`);
    expect(after).toBe(before);
  });

  it('turns a B2C invoice issued 47 h 59 m 50 s ago overdue within seconds, then done once accepted', async () => {
    stack.simulator.settings.outage = true;
    const number = await issueBackdated(b2cOrder('SO-4'), new Date(Date.now() - (48 * HOUR - 10_000)));
    const dueSoon = await eventually(() => invoice(number), (body) => body.deadline.state === 'due_soon', 10_000);
    expect(dueSoon.status).not.toBe('accepted');
    const overdue = await eventually(() => invoice(number), (body) => body.deadline.state === 'overdue', 30_000);
    expect(overdue.timeline.filter((e: { kind: string }) => e.kind === 'deadline').map((e: { detail: { state: string } }) => e.detail.state)).toEqual([
      'due_soon',
      'overdue',
    ]);
    const listed = await stack.http().get(`/api/v1/sellers/${BANS.seller}/deadlines?state=overdue`).set(stack.admin()).expect(200);
    expect(listed.body.invoices.map((i: { number: string }) => i.number)).toContain(number);

    stack.simulator.settings.outage = false;
    const accepted = await eventually(() => invoice(number), (body) => body.status === 'accepted');
    expect(accepted.deadline.state).toBe('done');
    expect(await alertsOf(number)).toEqual(['invoice.due_soon resolved', 'invoice.overdue resolved']);
  });

  it('shows the platform error of a rejected upload and accepts it after a corrected resend', async () => {
    stack.simulator.settings.rejectNext = 1;
    const { body } = await issue(b2cOrder('SO-5')).expect(201);
    const rejected = await eventually(() => invoice(body.number), (b) => b.status === 'rejected');
    expect(rejected.lastError).toMatchObject({ code: 'S099', message: expect.any(String) });
    expect(await alertsOf(body.number)).toEqual(['upload.rejected open']);
    expect(rejected.uploads).toEqual([expect.objectContaining({ outcome: 'rejected', errorCode: 'S099' })]);

    const resent = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices/${body.number}/resend`).set(stack.admin()).send({ buyerName: '王大明' }).expect(200);
    expect(resent.body.state).toBe('rejected');
    const accepted = await eventually(() => invoice(body.number), (b) => b.status === 'accepted');
    expect(accepted.buyer.name).toBe('王大明');
    expect(accepted.uploads.map((u: { outcome: string }) => u.outcome)).toEqual(['rejected', 'accepted']);
    expect(accepted.lastError).toBeNull();
    expect(await alertsOf(body.number)).toEqual(['upload.rejected resolved']);

    const refused = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices/${body.number}/resend`).set(stack.admin()).send({}).expect(409);
    expect(refused.body).toMatchObject({ code: 'INVOICE.NOT_RESENDABLE', message: expect.stringContaining('only a rejected upload') });
  });

  describe('the verdict', () => {
    const { EventType } = temporal.api.enums.v1;
    const historyOf = async (number: string) => (await stack.app.get(Client).workflow.getHandle(invoiceWorkflowId(BANS.seller, number)).fetchHistory()).events ?? [];
    const scheduled = (events: temporal.api.history.v1.IHistoryEvent[]) => events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);

    it('of a platform that answers within TURNKEY_QUICK_VERDICT_MS is heard in the workflow task that delivered the F0401: no activity task', async () => {
      const { number } = (await issue(b2cOrder('SO-QUICK')).expect(201)).body;
      await eventually(() => invoice(number), (body) => body.status === 'accepted');
      const events = await eventually(() => historyOf(number), (all) => all.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
      expect(scheduled(events)).toEqual([]);
      expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toHaveLength(1);
      expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(2);
    });

    it('delivers each attempt once: the same attempt run again after its verdict was recorded gets the same upload back', async () => {
      const { number } = (await issue(b2cOrder('SO-AGAIN')).expect(201)).body;
      await eventually(() => invoice(number), (body) => body.status === 'accepted');
      // As when the workflow task that delivered the F0401 and heard its quick verdict is lost and run again.
      const lifecycle = createInvoiceLifecycleService(stack.db.dataSource, new TurnkeyGateway(stack.turnkeyDir, stack.db.dataSource), systemClock, {
        warnBeforeMs: 0,
        silentAfterMs: HOUR,
        quickVerdictMs: 2000,
      });
      const [{ id }] = await stack.db.dataSource.query(`SELECT id FROM invoices WHERE invoice_number = $1`, [number]);
      const uploads = () => stack.db.dataSource.query(`SELECT file_name, outcome FROM turnkey_uploads WHERE invoice_id = $1 ORDER BY delivered_at`, [id]);
      const [first] = await uploads();
      const again = await lifecycle.deliverMessage(id, null, 1);
      expect(again.fileName).toBe(first.file_name);
      expect(await uploads()).toEqual([{ file_name: first.file_name, outcome: 'accepted' }]);
      expect(await lifecycle.awaitOutcome(again)).toEqual({ state: 'accepted' });
      // Looked at again, the verdict is answered as recorded, not recorded (nor shown on the timeline) twice.
      const events = await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoice_events WHERE invoice_id = $1 AND kind = 'accepted'`, [id]);
      expect(events).toEqual([{ n: 1 }]);
      // Accepted counts as sent even when the platform's C was heard before its G was seen.
      const detail = await invoice(number);
      expect(detail.uploads).toEqual([expect.objectContaining({ outcome: 'accepted', sentAt: expect.any(String) })]);
      // A second attempt (after a resend) is a file of its own.
      expect((await lifecycle.deliverMessage(id, null, 2)).fileName).not.toBe(first.file_name);
    });

    it('of a platform slower than that is polled for by an activity, and still counts', async () => {
      // The simulator leaves each file alone for 6 s: past the 5 s quick wait.
      stack.simulator.settings.delayMs = 6000;
      const { number } = (await issue(b2cOrder('SO-SLOW')).expect(201)).body;
      await eventually(() => invoice(number), (body) => body.status === 'accepted');
      const events = await eventually(() => historyOf(number), (all) => all.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
      expect(scheduled(events)).toEqual(['checkOutcome']);
      expect((await invoice(number)).uploads).toEqual([expect.objectContaining({ messageType: 'F0401', outcome: 'accepted' })]);
    });
  });

  it('waits out a platform outage and loses nothing', async () => {
    stack.simulator.settings.outage = true;
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) numbers.push((await issue(b2cOrder(`SO-OUT-${i}`)).expect(201)).body.number);
    await eventually(
      () => Promise.all(numbers.map(invoice)),
      (bodies) => bodies.every((b) => b.status === 'uploading'),
    );
    stack.simulator.settings.outage = false;
    const done = await eventually(
      () => Promise.all(numbers.map(invoice)),
      (bodies) => bodies.every((b) => b.status === 'accepted'),
    );
    expect(done.every((b) => b.uploads.length === 1)).toBe(true);
  });
});
