import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { invoiceWorkflowId } from '../libs/contracts/workflows';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import * as fields from '../libs/domain/mig/mig-fields';
import { MigElement, checkMigSequence, migChildren, readMigXml } from '../libs/domain/mig/mig-read';
import { InvoicesService } from '../libs/modules/invoices';
import { SellersService } from '../libs/modules/sellers';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { BANS, b2cRow, mofCsv, orderWorkbook } from '../libs/dev/fixtures';

const order = (billingNo: string, extra: Partial<InvoiceInput> = {}): InvoiceInput => ({
  billingNo,
  taxType: '1',
  buyer: {},
  print: true,
  lines: [
    { description: '商品 A', quantity: 2, unitPrice: 500, amount: 1000 },
    { description: '商品 B', quantity: 1, unitPrice: 200, amount: 200 },
  ],
  ...extra,
});

describe('void, allowance and their uploads (Einv120) through HTTP', () => {
  let stack: TestStack;
  const base = `/api/v1/sellers/${BANS.seller}`;
  const post = (path: string, body: object, key?: string) => {
    const request = stack.http().post(`${base}${path}`).set(stack.admin());
    return (key ? request.set('Idempotency-Key', key) : request).send(body);
  };
  const detail = (number: string) => stack.http().get(`${base}/invoices/${number}`).set(stack.admin()).then((r) => r.body);
  const acceptedInvoice = async (body: InvoiceInput) => {
    const { number } = (await post('/invoices', body).expect(201)).body;
    await eventually(() => detail(number), (d) => d.status === 'accepted');
    return number as string;
  };
  const messagesSettled = (number: string, count: number) =>
    eventually(() => detail(number), (d) => d.messages.length === count && d.messages.every((m: { status: string }) => m.status === 'accepted'));

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSeller(stack);
  });
  afterAll(() => stack.close());
  beforeEach(() => Object.assign(stack.simulator.settings, { outage: false, rejectNext: 0 }));

  it('voids an invoice with F0501, once per idempotency key, and lets the order be issued again with a new number', async () => {
    const number = await acceptedInvoice(order('V-1'));
    const voided = await post(`/invoices/${number}/void`, { reason: '訂單取消' }, 'void-V-1').expect(200);
    expect(voided.body).toMatchObject({ invoiceNumber: number, state: 'voided', messageId: expect.any(String) });
    const again = await post(`/invoices/${number}/void`, { reason: '訂單取消' }, 'void-V-1').expect(200);
    expect(again.body).toEqual(voided.body);
    const other = await post(`/invoices/${number}/void`, { reason: '再次' }, 'another-key').expect(409);
    expect(other.body.code).toBe('VOID.ALREADY');

    const settled = await messagesSettled(number, 1);
    expect(settled).toMatchObject({ status: 'voided', void: { reason: '訂單取消' }, messages: [{ messageType: 'F0501', deadlineState: 'done' }] });
    expect(settled.uploads.map((u: { messageType: string; outcome: string }) => `${u.messageType}:${u.outcome}`)).toEqual(['F0401:accepted', 'F0501:accepted']);
    expect(Date.parse(settled.messages[0].dueAt) - Date.parse(settled.messages[0].at)).toBe(48 * 3600_000);

    const reissued = await post('/invoices', order('V-1')).expect(201);
    expect(reissued.body.number).not.toBe(number);
    const preview = await stack.http().post(`${base}/imports`).set(stack.admin()).attach('file', await orderWorkbook([b2cRow('V-1-X'), b2cRow('V-1')]), 'o.xlsx').expect(201);
    expect(preview.body.errors).toEqual([expect.objectContaining({ row: 3, code: 'INVOICE.BILLING_NO_ISSUED' })]);
  });

  it('refuses a void while an allowance is live, and accepts it once the allowance is voided (G0401, G0501, F0501)', async () => {
    const number = await acceptedInvoice(order('V-2'));
    const allowance = await post(`/invoices/${number}/allowances`, { lines: [{ line: 1, quantity: 1, amount: 500 }], reason: '瑕疵' }).expect(201);
    expect(allowance.body).toMatchObject({ allowanceNumber: expect.stringMatching(/^AL\d{14}$/), lines: [{ line: 1, quantity: 1, amount: 500 }] });
    const refused = await post(`/invoices/${number}/void`, { reason: '取消' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'VOID.LIVE_ALLOWANCES', message: expect.stringContaining(allowance.body.allowanceNumber) });

    await stack.http().post(`${base}/allowances/${allowance.body.allowanceNumber}/void`).set(stack.admin()).send({ reason: '退貨取消' }).expect(200);
    await post(`/invoices/${number}/void`, { reason: '取消' }).expect(200);
    const settled = await messagesSettled(number, 3);
    expect(settled.messages.map((m: { messageType: string }) => m.messageType)).toEqual(['G0401', 'G0501', 'F0501']);
    expect(settled.allowances).toEqual([expect.objectContaining({ number: allowance.body.allowanceNumber, status: 'voided', voidReason: '退貨取消' })]);
  });

  it('accepts partial allowances up to the invoice amount and refuses the next, naming what remains', async () => {
    const number = await acceptedInvoice(order('V-3'));
    await post(`/invoices/${number}/allowances`, { lines: [{ line: 1, amount: 600 }] }).expect(201);
    await post(`/invoices/${number}/allowances`, { lines: [{ line: 1, amount: 400 }, { line: 2, amount: 200 }] }).expect(201);
    const third = await post(`/invoices/${number}/allowances`, { lines: [{ line: 2, amount: 1 }] }).expect(409);
    expect(third.body).toMatchObject({ code: 'ALLOWANCE.EXCEEDS_LINE', message: expect.stringMatching(/has 0 left to allow/) });
    const whole = await post(`/invoices/${number}/allowances`, { whole: true }).expect(409);
    expect(whole.body.code).toBe('ALLOWANCE.NOTHING_LEFT');
    const bad = await post(`/invoices/${number}/allowances`, { lines: [{ line: 9, amount: 1 }] }).expect(400);
    expect(bad.body.code).toBe('ALLOWANCE.INVALID');
    await messagesSettled(number, 2);
  });

  it('lets only one of two concurrent whole allowances through, and refuses a key reused on another invoice', async () => {
    const number = await acceptedInvoice(order('V-9'));
    const [first, second] = await Promise.all([
      post(`/invoices/${number}/allowances`, { whole: true }, 'whole-a').then((r) => r),
      post(`/invoices/${number}/allowances`, { whole: true }, 'whole-b').then((r) => r),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect([first.body.code, second.body.code]).toContain('ALLOWANCE.NOTHING_LEFT');
    const other = await acceptedInvoice(order('V-10'));
    const spentKey = first.status === 201 ? 'whole-a' : 'whole-b';
    const reused = await post(`/invoices/${other}/allowances`, { lines: [{ line: 2, amount: 10 }] }, spentKey).expect(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY.REUSED');
    await messagesSettled(number, 1);
  });

  it('shows a rejected allowance upload among the open deadlines and accepts it after a resend', async () => {
    const number = await acceptedInvoice(order('V-11'));
    stack.simulator.settings.rejectNext = 1;
    const allowance = await post(`/invoices/${number}/allowances`, { lines: [{ line: 2, amount: 50 }] }).expect(201);
    const rejected = await eventually(() => detail(number), (d) => d.messages[0]?.status === 'rejected');
    expect(rejected.messages[0]).toMatchObject({ messageType: 'G0401', allowanceNumber: allowance.body.allowanceNumber, errorCode: 'S099' });
    const open = await stack.http().get(`${base}/deadlines`).set(stack.admin()).expect(200);
    expect(open.body.messages).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceNumber: number, messageType: 'G0401', status: 'rejected' })]));
    await post(`/invoices/${number}/resend`, {}).expect(200);
    await messagesSettled(number, 1);
  });

  it('checks a mixed-tax (9) allowance per tax type and splits tax-included amounts', async () => {
    const number = await acceptedInvoice(
      order('V-4', {
        taxType: '9',
        lines: [
          { description: '應稅品', quantity: 1, unitPrice: 1050, amount: 1050, taxType: '1' },
          { description: '免稅品', quantity: 1, unitPrice: 300, amount: 300, taxType: '3' },
        ],
      }),
    );
    await post(`/invoices/${number}/allowances`, { lines: [{ line: 1, amount: 525 }, { line: 2, amount: 300 }] }).expect(201);
    const exempt = await post(`/invoices/${number}/allowances`, { lines: [{ line: 2, amount: 50 }] }).expect(409);
    expect(exempt.body.message).toContain('0 left');
    const settled = await messagesSettled(number, 1);
    expect(settled.allowances[0]).toMatchObject({ taxableAmount: 500, taxAmount: 25, freeTaxAmount: 300, zeroTaxAmount: 0 });
  });

  it('holds a void of an invoice still being uploaded until the platform accepts it ("uploaded first")', async () => {
    stack.simulator.settings.outage = true;
    const { number } = (await post('/invoices', order('V-8')).expect(201)).body;
    await eventually(() => detail(number), (d) => d.status === 'uploading');
    const voiding = post(`/invoices/${number}/void`, { reason: '取消' }).then((response) => response);
    const handle = stack.app.get(Client).workflow.getHandle(invoiceWorkflowId(BANS.seller, number));
    await eventually(
      async () => (await handle.fetchHistory()).events?.map((e) => e.eventType) ?? [],
      (types) => types.includes(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    );
    expect((await detail(number)).status).toBe('uploading');
    stack.simulator.settings.outage = false;
    const voided = await voiding;
    expect(voided.status).toBe(200);
    const settled = await messagesSettled(number, 1);
    expect(settled.uploads.map((u: { messageType: string }) => u.messageType)).toEqual(['F0401', 'F0501']);
  });

  it('cancels a never-accepted invoice as blank: no F0501, the number stays accounted for, the order can be issued again', async () => {
    stack.simulator.settings.rejectNext = 1;
    const { number } = (await post('/invoices', order('V-5')).expect(201)).body;
    await eventually(() => detail(number), (d) => d.status === 'rejected');
    const notYet = await post(`/invoices/${number}/void`, { reason: '取消' }).expect(409);
    expect(notYet.body.code).toBe('VOID.NOT_UPLOADED');
    const cancelled = await post(`/invoices/${number}/void`, { reason: '開立錯誤', mode: 'cancel_blank' }).expect(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled_blank', messageId: null });
    const handle = stack.app.get(Client).workflow.getHandle(invoiceWorkflowId(BANS.seller, number));
    expect((await handle.result()).state).toBe('cancelled_blank');
    const after = await detail(number);
    expect(after).toMatchObject({ status: 'cancelled_blank', messages: [] });
    const [{ n }] = await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM allocated_numbers WHERE invoice_number = $1`, [number]);
    expect(n).toBe(1);
    expect((await post('/invoices', order('V-5')).expect(201)).body.number).not.toBe(number);
  });

  it('reaches an invoice whose lifecycle has ended by starting it again from the database (update-with-start)', async () => {
    const number = await acceptedInvoice(order('V-6'));
    const handle = stack.app.get(Client).workflow.getHandle(invoiceWorkflowId(BANS.seller, number));
    expect(await handle.result()).toMatchObject({ state: 'accepted', pendingMessages: 0 });
    const allowance = await post(`/invoices/${number}/allowances`, { lines: [{ line: 2, amount: 200 }] }, 'late-allowance').expect(201);
    const repeat = await post(`/invoices/${number}/allowances`, { lines: [{ line: 2, amount: 200 }] }, 'late-allowance').expect(201);
    expect(repeat.body.allowanceNumber).toBe(allowance.body.allowanceNumber);
    await messagesSettled(number, 1);
    const [{ n }] = await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM allowances WHERE request_key = 'late-allowance'`);
    expect(n).toBe(1);
  });

  it('needs a special approval number to void after the period filing deadline', async () => {
    await stack.http().post(`${base}/tracks/import`).set(stack.admin()).attach('file', mofCsv(BANS.seller, [{ track: 'OL', start: '00000000', end: '00000049', period: '202607' }]), 'old.csv').expect(201);
    const app = stack.app;
    const seller = await app.get(SellersService).getSeller(BANS.seller);
    const { invoice } = await app.get(InvoicesService).issue(seller, null, order('V-7'), new Date('2026-08-10T02:00:00Z'));
    await eventually(() => detail(invoice.invoiceNumber), (d) => d.status === 'accepted');
    const refused = await post(`/invoices/${invoice.invoiceNumber}/void`, { reason: '取消' });
    expect([refused.status, refused.body.code, refused.body.message]).toEqual([400, 'VOID.APPROVAL_REQUIRED', expect.any(String)]);
    expect(refused.body).toMatchObject({ code: 'VOID.APPROVAL_REQUIRED', message: expect.stringContaining('approval number') });
    await post(`/invoices/${invoice.invoiceNumber}/void`, { reason: '取消', approvalNumber: '財北國稅字第1150001號' }).expect(200);
    await messagesSettled(invoice.invoiceNumber, 1);
  });

  it('searches by number, BillingNo, buyer, status and date, page by page', async () => {
    const byStatus = await stack.http().get(`${base}/invoices?status=voided&limit=1`).set(stack.admin()).expect(200);
    expect(byStatus.body.invoices).toHaveLength(1);
    expect(byStatus.body.nextCursor).toEqual(expect.any(String));
    const next = await stack.http().get(`${base}/invoices?status=voided&limit=1&cursor=${byStatus.body.nextCursor}`).set(stack.admin()).expect(200);
    expect(next.body.invoices[0].number).not.toBe(byStatus.body.invoices[0].number);
    const byBilling = await stack.http().get(`${base}/invoices?billingNo=V-1`).set(stack.admin()).expect(200);
    // Newest first: the re-issued invoice, then the voided one it replaced.
    expect(byBilling.body.invoices.map((i: { status: string }) => i.status)).toEqual([expect.not.stringMatching('voided'), 'voided']);
    const byNumber = await stack.http().get(`${base}/invoices?number=${byBilling.body.invoices[1].number.toLowerCase()}`).set(stack.admin()).expect(200);
    expect(byNumber.body.invoices.map((i: { billingNo: string }) => i.billingNo)).toEqual(['V-1']);
    const byPeriod = await stack.http().get(`${base}/invoices?period=115/07 ~ 115/08`).set(stack.admin()).expect(200);
    expect(byPeriod.body.invoices.map((i: { billingNo: string }) => i.billingNo)).toEqual(['V-7']);
    const byDate = await stack.http().get(`${base}/invoices?from=2026-08-10&to=2026-08-10`).set(stack.admin()).expect(200);
    expect(byDate.body.invoices.map((i: { billingNo: string }) => i.billingNo)).toEqual(['V-7']);
    await stack.http().get(`${base}/invoices?status=lost`).set(stack.admin()).expect(400);
  });

  it('wrote every F0401, F0501, G0401 and G0501 with the MIG 4.1 element order and required fields', async () => {
    const accepted = join(stack.turnkeyDir, 'UpCast', 'B2SSTORAGE');
    const files = (type: string) => {
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
      return walk(join(accepted, type, 'BAK')).map((file) => readMigXml(readFileSync(file, 'utf8')));
    };
    const check = (element: MigElement, order: readonly string[], required: readonly string[]) => expect(checkMigSequence(element, order, required)).toEqual([]);
    for (const invoice of files('F0401')) {
      check(invoice, fields.F0401_ROOT_ORDER, fields.F0401_ROOT_ORDER);
      const [main] = migChildren(invoice, 'Main');
      check(main, fields.F0401_MAIN_ORDER, fields.F0401_MAIN_REQUIRED);
      for (const item of migChildren(migChildren(invoice, 'Details')[0], 'ProductItem')) check(item, fields.F0401_ITEM_ORDER, fields.F0401_ITEM_REQUIRED);
      check(migChildren(invoice, 'Amount')[0], fields.F0401_AMOUNT_ORDER, fields.F0401_AMOUNT_REQUIRED);
    }
    const voids = files('F0501');
    expect(voids.length).toBeGreaterThanOrEqual(3);
    for (const cancel of voids) check(cancel, fields.F0501_ORDER, fields.F0501_REQUIRED);
    const allowances = files('G0401');
    expect(allowances.length).toBeGreaterThanOrEqual(4);
    for (const allowance of allowances) {
      check(allowance, fields.G0401_ROOT_ORDER, fields.G0401_ROOT_ORDER);
      check(migChildren(allowance, 'Main')[0], fields.G0401_MAIN_ORDER, fields.G0401_MAIN_REQUIRED);
      for (const item of migChildren(migChildren(allowance, 'Details')[0], 'ProductItem')) check(item, fields.G0401_ITEM_ORDER, fields.G0401_ITEM_REQUIRED);
      check(migChildren(allowance, 'Amount')[0], fields.G0401_AMOUNT_ORDER, fields.G0401_AMOUNT_REQUIRED);
    }
    for (const cancel of files('G0501')) check(cancel, fields.G0501_ORDER, fields.G0501_REQUIRED);
  });
});
