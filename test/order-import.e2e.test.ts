import { Client } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { importWorkflowId } from '../libs/contracts/workflows';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { BANS, OrderRow, b2cRow, orderWorkbook } from '../libs/dev/fixtures';

/** 20 rows of 300, each wrong in its own way, at known rows (sheet row = index + 2). */
const BAD_ROWS: Record<number, OrderRow> = {
  5: { buyerBan: '12345678', buyerName: '某公司' },
  17: { carrierId: 'ABC' },
  29: { amount: 101 },
  41: { description: '' },
  53: { taxType: '9' },
  65: { npoban: '168001', print: 'Y', carrierType: '', carrierId: '' },
  77: { quantity: 'two' },
  89: { taxType: '5' },
  101: { carrierType: 'XX0000' },
  113: { buyerEmail: 'not-an-email' },
  125: { unitPrice: -5, amount: -10 },
  137: { print: 'maybe' },
  149: { npoban: '12', carrierType: '', carrierId: '' },
  161: { buyerBan: '53212539', buyerName: '', carrierType: '', carrierId: '', print: 'Y' },
  173: { carrierType: 'CQ0001', carrierId: 'AB123' },
  185: { totalAmount: 999 },
  197: { invoiceType: '08' },
  209: { quantity: 0, amount: 0 },
  221: { taxType: '2' },
  233: { buyerBan: '53212539', buyerName: '某公司', npoban: '168001', carrierType: '', carrierId: '' },
};

describe('order import through HTTP: preview, confirm, progress, result workbook', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSeller(stack);
  });
  afterAll(() => stack.close());

  // Its two waits (import done, then every invoice accepted: each message passes G before C) may take 120 s each.
  it('previews a 300-row workbook with exactly its 20 bad rows, issues the 280 in order and reports every row', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => b2cRow(`ORD-${String(i).padStart(4, '0')}`, BAD_ROWS[i] ?? {}));
    const badSheetRows = Object.keys(BAD_ROWS).map((i) => Number(i) + 2);
    const [{ before }] = await stack.db.dataSource.query(`SELECT count(*)::int AS before FROM allocated_numbers`);

    const preview = await stack.http().post(`/api/v1/sellers/${BANS.seller}/imports`).set(stack.admin()).attach('file', await orderWorkbook(rows), 'orders.xlsx').expect(201);
    expect(preview.body).toMatchObject({ rowsRead: 300, rowsImportable: 280, orders: 280 });
    const errorRows = [...new Set(preview.body.errors.map((e: { row: number }) => e.row))].sort((a, b) => (a as number) - (b as number));
    expect(errorRows).toEqual(badSheetRows);
    for (const error of preview.body.errors) expect(error).toEqual(expect.objectContaining({ column: expect.stringMatching(/^[A-V] /), code: expect.any(String), message: expect.any(String) }));
    const [{ after }] = await stack.db.dataSource.query(`SELECT count(*)::int AS after FROM allocated_numbers`);
    expect(after).toBe(before);

    const confirmed = await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    expect(confirmed.body.total).toBe(280);
    const again = await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    expect(again.body.total).toBe(280);

    const done = await eventually(
      () => stack.http().get(`/api/v1/imports/${preview.body.id}`).set(stack.admin()).then((r) => r.body),
      (body) => body.state === 'done',
      120_000,
    );
    expect(done).toMatchObject({ total: 280, issued: 280, failed: 0, pending: 0 });

    const issued: { billing_no: string; invoice_number: string }[] = await stack.db.dataSource.query(
      `SELECT billing_no, invoice_number FROM invoices WHERE import_id = $1 ORDER BY import_ordinal`,
      [preview.body.id],
    );
    expect(issued).toHaveLength(280);
    const goodBillingNos = rows.map((r, i) => (BAD_ROWS[i] ? null : r.billingNo)).filter(Boolean);
    expect(issued.map((i) => i.billing_no)).toEqual(goodBillingNos);
    const numbers = issued.map((i) => Number(i.invoice_number.slice(2)));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));

    // Chunks of 100: each next one issued as the one before is started (both asked for in one workflow task), and
    // only row ordinals in the workflow's history.
    const history = await stack.app.get(Client).workflow.getHandle(importWorkflowId(preview.body.id)).fetchHistory();
    const activities = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(activities).toEqual(['issueChunk', 'startChunk', 'issueChunk', 'startChunk', 'issueChunk', 'startChunk', 'issueChunk', 'finishImport']);
    expect(JSON.stringify(history).length).toBeLessThan(30_000);

    await eventually(
      () => stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE import_id = $1 AND status = 'accepted'`, [preview.body.id]),
      ([{ n }]) => n === 280,
      120_000,
    );

    const result = await stack.http().get(`/api/v1/imports/${preview.body.id}/result.xlsx`).set(stack.admin()).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(result.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(result.body);
    const sheet = workbook.worksheets[0];
    const listed: { row: number; number: string; status: string }[] = [];
    sheet.eachRow((row, index) => {
      if (index > 1) listed.push({ row: Number(row.getCell(1).value), number: String(row.getCell(3).value ?? ''), status: String(row.getCell(4).value) });
    });
    expect(listed.map((l) => l.row)).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
    expect(listed.filter((l) => /AB\d{8}/.test(l.number))).toHaveLength(280);
    expect(listed.filter((l) => badSheetRows.includes(l.row)).every((l) => l.number === '' && l.status.includes('not imported'))).toBe(true);
  }, 300_000);

  it('issues nothing twice when a BillingNo was issued meanwhile by API', async () => {
    const preview = await stack
      .http()
      .post(`/api/v1/sellers/${BANS.seller}/imports`)
      .set(stack.admin())
      .attach('file', await orderWorkbook([b2cRow('RACE-1'), b2cRow('RACE-2')]), 'orders.xlsx')
      .expect(201);
    expect(preview.body.rowsImportable).toBe(2);
    await stack
      .http()
      .post(`/api/v1/sellers/${BANS.seller}/invoices`)
      .set(stack.admin())
      .send({ billingNo: 'RACE-2', taxType: '1', buyer: {}, print: true, lines: [{ description: 'x', quantity: 1, unitPrice: 5, amount: 5 }] })
      .expect(201);
    await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    const done = await eventually(
      () => stack.http().get(`/api/v1/imports/${preview.body.id}`).set(stack.admin()).then((r) => r.body),
      (body) => body.state === 'done',
    );
    expect(done).toMatchObject({ total: 2, issued: 1, failed: 1 });
    const [{ n }] = await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE billing_no = 'RACE-2'`);
    expect(n).toBe(1);
  });

  it('serves the order template as a real workbook with a header, example and instructions', async () => {
    const response = await stack.http().get('/api/v1/templates/orders.xlsx').buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    }).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(['訂單 Orders', '說明 Instructions']));
    expect(workbook.getWorksheet('訂單 Orders')!.getRow(1).getCell(1).value).toBe('訂單編號 (BillingNo)');
  });

  it('refuses a file that is not a workbook, naming the rule, and stores nothing', async () => {
    const bad = await stack.http().post(`/api/v1/sellers/${BANS.seller}/imports`).set(stack.admin()).attach('file', Buffer.from('BillingNo,TaxType\n1,1\n'), 'orders.csv').expect(400);
    expect(bad.body.code).toBe('WORKBOOK.NOT_XLSX');
  });
});
