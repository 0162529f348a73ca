import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { upcastBakDir } from '../libs/adapters/turnkey/turnkey-folders';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import { MigElement, migChild, migChildren, migText, readMigXml } from '../libs/domain/mig/mig-read';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { BANS, b2cOrder } from '../libs/dev/fixtures';

const b2bOrder = (billingNo: string, extra: Partial<InvoiceInput> = {}): InvoiceInput => ({
  billingNo,
  taxType: '1',
  buyer: { ban: BANS.buyer, name: '買方股份有限公司' },
  lines: [{ description: '顧問服務', quantity: 1, unitPrice: 1000, amount: 1000 }],
  ...extra,
});

/** The files Turnkey (the simulator) took, under BAK/<day>/, read as MIG. */
function bakMessages(turnkeyDir: string, type: 'F0401' | 'G0401'): { file: string; root: MigElement }[] {
  const base = upcastBakDir(turnkeyDir, type);
  return readdirSync(base).flatMap((day) =>
    readdirSync(join(base, day)).map((file) => ({ file, root: readMigXml(readFileSync(join(base, day, file), 'utf8')) })),
  );
}

describe('Turnkey sent (G) and confirmed (C), B2B print and large invoices, through HTTP and the simulator', () => {
  let stack: TestStack;
  const base = `/api/v1/sellers/${BANS.seller}`;
  const issue = (body: object) => stack.http().post(`${base}/invoices`).set(stack.admin()).send(body);
  const detail = (number: string) => stack.http().get(`${base}/invoices/${number}`).set(stack.admin()).then((r) => r.body);

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSeller(stack);
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    Object.assign(stack.simulator.settings, { outage: false, rejectNext: 0, holdAtSent: false, rejectNextAfterSent: 0, confirmDelayMs: 0 });
  });

  it('sends a B2B invoice without a carrier printed (PrintMark Y in BAK), and refuses print: false for it', async () => {
    const refused = await issue(b2bOrder('P-1', { print: false })).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'print', code: 'INVOICE.B2B_PRINT_REQUIRED' })]);

    const { number } = (await issue(b2bOrder('P-1')).expect(201)).body;
    await eventually(() => detail(number), (d) => d.status === 'accepted');
    const sent = bakMessages(stack.turnkeyDir, 'F0401').find(({ root }) => migText(migChild(root, 'Main'), 'InvoiceNumber') === number)!;
    const main = migChild(sent.root, 'Main');
    expect([migText(main, 'PrintMark'), migText(main, 'DonateMark'), migText(main, 'CarrierType')]).toEqual(['Y', '0', undefined]);
  });

  it('keeps an invoice left at G sent, on the deadline lists, until the platform confirms it; then accepted', async () => {
    stack.simulator.settings.holdAtSent = true;
    const { number } = (await issue(b2cOrder('G-1')).expect(201)).body;
    const sent = await eventually(() => detail(number), (d) => d.status === 'sent');
    expect(sent).toMatchObject({ sentAt: expect.any(String), acceptedAt: null, deadline: { state: 'on_time' } });
    expect(sent.uploads).toEqual([expect.objectContaining({ outcome: 'pending', sentAt: expect.any(String) })]);
    expect(sent.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['delivered', 'sent']));
    const listed = await stack.http().get(`${base}/deadlines`).set(stack.admin()).expect(200);
    expect(listed.body.invoices).toEqual(expect.arrayContaining([expect.objectContaining({ number, status: 'sent' })]));
    const searched = await stack.http().get(`${base}/invoices?status=sent`).set(stack.admin()).expect(200);
    expect(searched.body.invoices.map((i: { number: string }) => i.number)).toContain(number);
    // A void waits for the platform's confirmation, and cancelling as blank is refused while it may still come.
    const blank = await stack.http().post(`${base}/invoices/${number}/void`).set(stack.admin()).send({ reason: '取消', mode: 'cancel_blank' }).expect(409);
    expect(blank.body.code).toBe('VOID.UPLOAD_IN_FLIGHT');

    stack.simulator.settings.holdAtSent = false;
    const accepted = await eventually(() => detail(number), (d) => d.status === 'accepted');
    expect(accepted).toMatchObject({ deadline: { state: 'done' }, sentAt: sent.sentAt, acceptedAt: expect.any(String) });
    expect(Date.parse(accepted.acceptedAt)).toBeGreaterThanOrEqual(Date.parse(accepted.sentAt));
    const after = await stack.http().get(`${base}/deadlines`).set(stack.admin()).expect(200);
    expect(after.body.invoices.map((i: { number: string }) => i.number)).not.toContain(number);
  });

  it('takes an E after G as a rejection like any other: shown, resent, then accepted', async () => {
    stack.simulator.settings.holdAtSent = true;
    const { number } = (await issue(b2cOrder('G-2')).expect(201)).body;
    await eventually(() => detail(number), (d) => d.status === 'sent');
    Object.assign(stack.simulator.settings, { rejectNextAfterSent: 1, holdAtSent: false });
    const rejected = await eventually(() => detail(number), (d) => d.status === 'rejected');
    expect(rejected.lastError).toMatchObject({ code: 'S098', message: expect.stringContaining('after it was sent') });
    expect(rejected.uploads).toEqual([expect.objectContaining({ outcome: 'rejected', errorCode: 'S098', sentAt: expect.any(String) })]);
    expect(rejected.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['sent', 'rejected']));

    await stack.http().post(`${base}/invoices/${number}/resend`).set(stack.admin()).send({}).expect(200);
    const accepted = await eventually(() => detail(number), (d) => d.status === 'accepted');
    expect(accepted.uploads.map((u: { outcome: string }) => u.outcome)).toEqual(['rejected', 'accepted']);
    expect(accepted.lastError).toBeNull();
  });

  it('watches a follow-up message after G too: an allowance at G stays sent until confirmed', async () => {
    const { number } = (await issue(b2cOrder('G-3')).expect(201)).body;
    await eventually(() => detail(number), (d) => d.status === 'accepted');
    stack.simulator.settings.holdAtSent = true;
    await stack.http().post(`${base}/invoices/${number}/allowances`).set(stack.admin()).send({ lines: [{ line: 2, amount: 60 }] }).expect(201);
    const sent = await eventually(() => detail(number), (d) => d.messages[0]?.status === 'sent');
    expect(sent.messages[0]).toMatchObject({ messageType: 'G0401', sentAt: expect.any(String), acceptedAt: null, deadlineState: 'on_time' });
    stack.simulator.settings.holdAtSent = false;
    const done = await eventually(() => detail(number), (d) => d.messages[0]?.status === 'accepted');
    expect(done.messages[0]).toMatchObject({ deadlineState: 'done', acceptedAt: expect.any(String) });
  });

  it('issues, uploads and takes a whole allowance on an invoice of 9,999 lines of 500 characters', async () => {
    const description = (i: number) => `${String(i).padStart(4, '0')} ${'Organic green tea leaves, first flush, '.repeat(13)}`.slice(0, 500);
    const lines = Array.from({ length: 9999 }, (_, i) => ({ description: description(i), quantity: 1, unitPrice: 10, amount: 10 }));
    expect(lines.every((line) => line.description.length === 500)).toBe(true);
    const created = await issue(b2cOrder('BIG-1', { lines })).expect(201);
    const { number } = created.body;
    expect(created.body.lines).toHaveLength(9999);
    await eventually(() => detail(number), (d) => d.status === 'accepted', 180_000);

    const allowance = await stack.http().post(`${base}/invoices/${number}/allowances`).set(stack.admin()).send({ whole: true }).expect(201);
    expect(allowance.body.lines).toHaveLength(9999);
    const settled = await eventually(() => detail(number), (d) => d.messages[0]?.status === 'accepted', 180_000);
    expect(settled.allowances[0]).toMatchObject({ number: allowance.body.allowanceNumber, status: 'live' });
    const g0401 = bakMessages(stack.turnkeyDir, 'G0401').find(({ root }) => migText(migChild(root, 'Main'), 'AllowanceNumber') === allowance.body.allowanceNumber)!;
    expect(migChildren(migChild(g0401.root, 'Details'), 'ProductItem')).toHaveLength(9999);
    // A second whole allowance finds nothing left: planned in the activity, under the invoice's row lock.
    const again = await stack.http().post(`${base}/invoices/${number}/allowances`).set(stack.admin()).send({ whole: true }).expect(409);
    expect(again.body.code).toBe('ALLOWANCE.NOTHING_LEFT');
  }, 420_000);
});
