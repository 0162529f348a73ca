import { Client, WorkflowHandle } from '@temporalio/client';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orderWorkflowId } from '../../libs/contracts/order-workflow';
import { importWorkflowId, invoiceWorkflowId } from '../../libs/contracts/workflows';
import { InvoiceInput } from '../../libs/domain/invoice/invoice.types';
import { buildOrderTemplate } from '../../libs/adapters/excel/order-template.writer';
import { InvoicesService } from '../../libs/modules/invoices';
import { SellersService } from '../../libs/modules/sellers';
import { eventually } from '../support/eventually';
import { TestStack } from '../support/test-stack';
import { historyToJson } from './history-json';
import { b2cOrder, mofCsv } from '../../libs/dev/fixtures';

/** Where the recorded histories live, committed: replay.test.ts replays every `*.json` here but the changed one. */
export const HISTORIES_DIR = __dirname;

/**
 * The four lifecycles before `quickVerdict` were recorded before the patches `deliver-as-local-activity` and
 * `await-verdict-in-workflow-task`, and `orderImport` before `issue-while-starting`: they keep the old paths
 * replaying. Recording them again records the patched paths, so rename them first (see README.md); the import
 * scenario now writes `pipelinedImport`.
 */
export const HISTORY_FILES = {
  accepted: 'invoice-lifecycle-accepted.json',
  rejectedResent: 'invoice-lifecycle-rejected-resent.json',
  overdue: 'invoice-lifecycle-overdue.json',
  orderImport: 'order-import-small.json',
  resumedAllowance: 'invoice-lifecycle-resumed-allowance.json',
  orderReturned: 'order-events-returned.json',
  quickVerdict: 'invoice-lifecycle-quick-verdict.json',
  pipelinedImport: 'order-import-pipelined.json',
  /** Derived from `accepted` by {@link reorderFirstActivities}: must fail replay. */
  changed: 'invoice-lifecycle-accepted.changed.json',
} as const;

/**
 * A seller of its own (valid checksum, not one of the e2e fixtures' BANs): workflow ids carry the BAN and invoice
 * number, and every test file shares one dev server, so recording beside the e2e tests must not reuse their ids.
 */
export const RECORDING_SELLER_BAN = '24549210';

const HOUR = 3600_000;
const ACTIVITY_TASK_SCHEDULED = 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED';

type JsonEvent = { eventType: string; activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } };
type JsonHistory = { events: JsonEvent[] };

/**
 * The deliberately changed history: the types of the first two activities the workflow scheduled are swapped, as if
 * the code now scheduled them in the other order (e.g. the buyer notice moved after the upload). Replaying it against
 * the unchanged workflow must fail with a DeterminismViolationError. Pure, so the replay test can check that the
 * committed file is still derived from the committed accepted history.
 */
export function reorderFirstActivities(history: JsonHistory): JsonHistory {
  const copy: JsonHistory = JSON.parse(JSON.stringify(history));
  const scheduled = copy.events.filter((e) => e.eventType === ACTIVITY_TASK_SCHEDULED);
  const [first, second] = scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType);
  if (!first?.name || !second?.name || first.name === second.name) {
    throw new Error(`expected two differently typed scheduled activities, got ${JSON.stringify(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType))}`);
  }
  [first.name, second.name] = [second.name, first.name];
  return copy;
}

/** Same shape as seedSeller, for {@link RECORDING_SELLER_BAN}: a web channel and 100 numbers in today's period. */
async function seedRecordingSeller(stack: TestStack): Promise<void> {
  const ban = RECORDING_SELLER_BAN;
  await stack.http().post('/api/v1/sellers').set(stack.admin()).send({ ban, name: '錄製測試股份有限公司', address: '臺北市大安區' }).expect(201);
  await stack.http().post(`/api/v1/sellers/${ban}/channels`).set(stack.admin()).send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] }).expect(201);
  const now = new Date(Date.now() + 8 * HOUR);
  const period = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  await stack
    .http()
    .post(`/api/v1/sellers/${ban}/tracks/import`)
    .set(stack.admin())
    .attach('file', mofCsv(ban, [{ track: 'RH', start: '20000000', end: '20000099', period }]), 'invnoapply.csv')
    .expect(201);
}

export type HistoryName = keyof typeof HISTORY_FILES;

/** `RECORD_HISTORIES=1` records every scenario; a comma-separated list of {@link HISTORY_FILES} keys records those. */
export function historiesToRecord(setting: string | undefined): readonly HistoryName[] | undefined | false {
  if (!setting) return false;
  if (setting === '1') return undefined;
  const names = setting.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(name in HISTORY_FILES));
  if (unknown.length > 0) throw new Error(`RECORD_HISTORIES names no scenario ${unknown.join(', ')}; known: ${Object.keys(HISTORY_FILES).join(', ')}`);
  return names as HistoryName[];
}

/**
 * Drives each scenario to completion on a running stack (worker included) and writes each workflow's full history
 * as JSON into `dir`, plus the deliberately changed copy of the accepted one; `only` limits it to the named ones
 * (`accepted`, `resumedAllowance` and `changed` are one scenario). Returns the paths written. Scenarios run one
 * after another: the simulator's switches are global to the stack.
 */
export async function recordHistories(stack: TestStack, dir: string = HISTORIES_DIR, only?: readonly HistoryName[]): Promise<string[]> {
  const ban = RECORDING_SELLER_BAN;
  const client = stack.app.get(Client);
  const written: string[] = [];
  const invoice = (number: string) => stack.http().get(`/api/v1/sellers/${ban}/invoices/${number}`).set(stack.admin()).then((r) => r.body);
  const issue = async (order: InvoiceInput) =>
    (await stack.http().post(`/api/v1/sellers/${ban}/invoices`).set(stack.admin()).send(order).expect(201)).body.number as string;
  const lifecycle = (number: string) => client.workflow.getHandle(invoiceWorkflowId(ban, number));
  const save = async (file: string, handle: WorkflowHandle) => {
    await handle.result();
    const json = historyToJson(await handle.fetchHistory());
    const path = join(dir, file);
    writeFileSync(path, `${json}\n`);
    written.push(path);
    return json;
  };

  const wants = (...names: HistoryName[]) => !only || names.some((name) => only.includes(name));

  Object.assign(stack.simulator.settings, { outage: false, rejectNext: 0, rejectRate: 0, delayMs: 0 });
  await seedRecordingSeller(stack);

  if (wants('accepted', 'resumedAllowance', 'changed')) {
    // Accepted at the first upload; the buyer has an e-mail, so the notice activity runs beside the upload.
    const acceptedNumber = await issue(b2cOrder('REC-ACCEPTED', { buyer: { name: '王小明', email: 'ming@example.com' } }));
    await eventually(() => invoice(acceptedNumber), (body) => body.status === 'accepted' && body.timeline.some((e: { kind: string }) => e.kind === 'mailed'));
    const accepted = await save(HISTORY_FILES.accepted, lifecycle(acceptedNumber));

    // The lifecycle above has ended; an allowance starts it again from the database (update-with-start), and the run
    // uploads G0401 before it ends once more.
    await stack.http().post(`/api/v1/sellers/${ban}/invoices/${acceptedNumber}/allowances`).set(stack.admin()).set('Idempotency-Key', 'rec-allowance').send({ lines: [{ line: 1, amount: 100 }] }).expect(201);
    await save(HISTORY_FILES.resumedAllowance, lifecycle(acceptedNumber));
    const changedPath = join(dir, HISTORY_FILES.changed);
    writeFileSync(changedPath, `${JSON.stringify(reorderFirstActivities(JSON.parse(accepted)), null, 2)}\n`);
    written.push(changedPath);
  }

  if (wants('rejectedResent')) {
    // Rejected once by the platform, corrected and resent through the resend Update, then accepted.
    stack.simulator.settings.rejectNext = 1;
    const rejectedNumber = await issue(b2cOrder('REC-REJECTED'));
    await eventually(() => invoice(rejectedNumber), (body) => body.status === 'rejected');
    await stack.http().post(`/api/v1/sellers/${ban}/invoices/${rejectedNumber}/resend`).set(stack.admin()).send({ buyerName: '王大明' }).expect(200);
    await eventually(() => invoice(rejectedNumber), (body) => body.status === 'accepted');
    await save(HISTORY_FILES.rejectedResent, lifecycle(rejectedNumber));
  }

  if (wants('overdue')) {
    // Backdated to 5 s before its upload deadline during an outage: due_soon at once, a timer to overdue, then accepted.
    stack.simulator.settings.outage = true;
    const seller = await stack.app.get(SellersService).getSeller(ban);
    const issuedAt = new Date(Date.now() - (48 * HOUR - 5_000));
    const overdueNumber = (await stack.app.get(InvoicesService).issue(seller, null, b2cOrder('REC-OVERDUE'), issuedAt)).invoice.invoiceNumber;
    await eventually(() => invoice(overdueNumber), (body) => body.deadline.state === 'overdue', 30_000);
    stack.simulator.settings.outage = false;
    await eventually(() => invoice(overdueNumber), (body) => body.status === 'accepted');
    await save(HISTORY_FILES.overdue, lifecycle(overdueNumber));
  }

  if (wants('quickVerdict')) {
    // Accepted within TURNKEY_QUICK_VERDICT_MS: the F0401 delivered and its verdict heard by local activities in the
    // workflow task that asked (the `await-verdict-in-workflow-task` patch), the buyer's notice an activity beside them.
    const quickNumber = await issue(b2cOrder('REC-QUICK', { buyer: { name: '林小華', email: 'hua@example.com' } }));
    await eventually(() => invoice(quickNumber), (body) => body.status === 'accepted' && body.timeline.some((e: { kind: string }) => e.kind === 'mailed'));
    await save(HISTORY_FILES.quickVerdict, lifecycle(quickNumber));
  }

  if (wants('pipelinedImport', 'orderImport')) {
    // The template's two example orders (B2C with carrier, B2B to 53212539), previewed, confirmed and issued: since
    // `issue-while-starting` the next chunk is issued while the last one is being started.
    const preview = await stack
      .http()
      .post(`/api/v1/sellers/${ban}/imports`)
      .set(stack.admin())
      .attach('file', await buildOrderTemplate(), 'orders.xlsx')
      .expect(201);
    if (preview.body.orders !== 2 || preview.body.errors.length > 0) throw new Error(`unexpected import preview: ${JSON.stringify(preview.body)}`);
    await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    await save(HISTORY_FILES.pipelinedImport, client.workflow.getHandle(importWorkflowId(preview.body.id)));
    // Let the lifecycles the import started finish too, so the stack closes with no activity in flight.
    const imported: { invoice_number: string }[] = await stack.db.dataSource.query(
      `SELECT invoice_number FROM invoices WHERE import_id = $1 ORDER BY invoice_number`,
      [preview.body.id],
    );
    await eventually(
      () => Promise.all(imported.map((row) => invoice(row.invoice_number))),
      (bodies) => bodies.length === 2 && bodies.every((body) => body.status === 'accepted'),
    );
    await Promise.all(imported.map((row) => lifecycle(row.invoice_number).result()));
  }
  if (wants('orderReturned')) written.push(await recordOrderHistory(stack, dir));
  return written;
}

/**
 * An order issued on payment whose workflow has ended; a `returned` event starts it again by signal-with-start:
 * `loadOrder` from the database, `saveOrder`, `enterOrderAllowance` (waiting for the upload), `saveOrder`, end.
 * Needs the recording seller (seeded by {@link recordHistories}).
 */
export async function recordOrderHistory(stack: TestStack, dir: string = HISTORIES_DIR): Promise<string> {
  const ban = RECORDING_SELLER_BAN;
  const handle = stack.app.get(Client).workflow.getHandle(orderWorkflowId(ban, 'web', 'REC-ORDER'));
  const send = (event: object) => stack.http().post(`/api/v1/sellers/${ban}/channels/web/orders/REC-ORDER/events`).set(stack.admin()).send(event).expect(202);
  const content: Partial<InvoiceInput> = b2cOrder('REC-ORDER');
  delete content.billingNo;
  const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  await send({ eventId: 'rec-created', type: 'created', occurredAt: at(3), content });
  await send({ eventId: 'rec-paid', type: 'paid', occurredAt: at(2) });
  await handle.result();
  await send({ eventId: 'rec-returned', type: 'returned', occurredAt: at(1), lines: [{ line: 2, quantity: 1 }] });
  await handle.result();
  const path = join(dir, HISTORY_FILES.orderReturned);
  writeFileSync(path, `${historyToJson(await handle.fetchHistory())}\n`);
  const [{ invoice_number: number }] = await stack.db.dataSource.query(`SELECT invoice_number FROM invoices WHERE billing_no = 'REC-ORDER'`);
  await eventually(
    () => stack.http().get(`/api/v1/sellers/${ban}/invoices/${number}`).set(stack.admin()).then((r) => r.body),
    (body) => body.messages.length === 1 && body.messages[0].status === 'accepted',
  );
  await stack.app.get(Client).workflow.getHandle(invoiceWorkflowId(ban, number)).result();
  return path;
}
