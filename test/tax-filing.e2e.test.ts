import ExcelJS from 'exceljs';
import { MEDIA_RECORD_LENGTH, fromTaipei, parseMediaFile, periodOf } from '../libs/domain';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import { InvoicesService } from '../libs/modules/invoices';
import { SellersService } from '../libs/modules/sellers';
import { BANS, b2cOrder, mofCsv } from '../libs/dev/fixtures';
import { eventually } from './support/eventually';
import { TestStack, startTestStack } from './support/test-stack';

/** The period before the current one: closed, so its blank numbers can be reported and its sales filed. */
const now = new Date();
const current = periodOf(now);
const previousEnd = current.endMonth === 2 ? { rocYear: current.rocYear - 1, month: 12 } : { rocYear: current.rocYear, month: current.endMonth - 2 };
const period = `${previousEnd.rocYear}${String(previousEnd.month).padStart(2, '0')}`;
const gregorian = `${previousEnd.rocYear + 1911}${String(previousEnd.month).padStart(2, '0')}`;
/** Noon on the 10th of the period's first month, Taipei: every invoice of the test is dated then. */
const issuedAt = fromTaipei(previousEnd.rocYear + 1911, previousEnd.month - 1, 10, 12);

const b2b = (billingNo: string, extra: Partial<InvoiceInput> = {}): InvoiceInput => ({
  billingNo,
  taxType: '1',
  buyer: { ban: BANS.buyer, name: '買方股份有限公司' },
  print: true,
  lines: [{ description: '顧問服務', quantity: 2, unitPrice: 500, amount: 1000 }],
  ...extra,
});

describe('the period tax filing: media file and 401 sales summary, proved complete against the ledger', () => {
  let stack: TestStack;
  let finance: { Authorization: string };
  let viewer: { Authorization: string };
  const base = `/api/v1/sellers/${BANS.seller}`;
  const numbers: Record<string, string> = {};
  const detail = (number: string) => stack.http().get(`${base}/invoices/${number}`).set(stack.admin()).then((r) => r.body);

  beforeAll(async () => {
    stack = await startTestStack();
    const http = stack.http;
    const staffKey = async (role: string) => ({ Authorization: `Bearer ${(await http().post('/api/v1/api-keys').set(stack.admin()).send({ role, name: role }).expect(201)).body.key}` });
    finance = await staffKey('finance');
    viewer = await staffKey('viewer');
    await http().post('/api/v1/sellers').set(stack.admin()).send({ ban: BANS.seller, name: '範例股份有限公司' }).expect(201);
    await http().post(`${base}/tracks/import`).set(finance).attach('file', mofCsv(BANS.seller, [{ track: 'AB', start: '10000000', end: '10000049', period: gregorian }]), 'invnoapply.csv').expect(201);

    const seller = await stack.app.get(SellersService).getSeller(BANS.seller);
    const invoices = stack.app.get(InvoicesService);
    const orders: Record<string, InvoiceInput> = {
      b2bTaxable: b2b('TF-B2B'),
      b2cTaxable: b2cOrder('TF-B2C'),
      zeroRated: b2b('TF-ZERO', { taxType: '2', zeroTax: { customsClearanceMark: '2', reason: '71' } }),
      exempt: b2cOrder('TF-EXEMPT', { taxType: '3' }),
      mixed: b2cOrder('TF-MIXED', {
        taxType: '9',
        lines: [
          { description: '應稅品', quantity: 1, unitPrice: 1050, amount: 1050, taxType: '1' },
          { description: '免稅品', quantity: 1, unitPrice: 300, amount: 300, taxType: '3' },
        ],
      }),
      voided: b2cOrder('TF-VOID'),
    };
    for (const [name, order] of Object.entries(orders)) numbers[name] = (await invoices.issue(seller, null, order, issuedAt)).invoice.invoiceNumber;
    for (const number of Object.values(numbers)) await eventually(() => detail(number), (d) => d.status === 'accepted');

    // Allowances to a business and to a consumer. Entered now, they are dated back into the period, as they would
    // have been entered then (the service dates an allowance by its own clock).
    await http().post(`${base}/invoices/${numbers.b2bTaxable}/allowances`).set(stack.admin()).send({ lines: [{ line: 1, amount: 200 }] }).expect(201);
    await http().post(`${base}/invoices/${numbers.b2cTaxable}/allowances`).set(stack.admin()).send({ lines: [{ line: 1, amount: 105 }] }).expect(201);
    await stack.db.dataSource.query(`UPDATE allowances SET allowance_date = $1`, [new Date(issuedAt.getTime() + 3600_000)]);
    // Voided within the period (a void is refused once the period's filing deadline has passed, as it has by now).
    await stack.db.dataSource.query(`UPDATE invoices SET status = 'voided', voided_at = $2, void_reason = '訂單取消' WHERE invoice_number = $1`, [numbers.voided, issuedAt]);
  });
  afterAll(() => stack.close());

  it('is refused until the seller has a tax registration number and the period is reconciled and approved; viewers never see it', async () => {
    const noNumber = await stack.http().get(`${base}/periods/${period}/media-file`).set(finance).expect(409);
    expect(noNumber.body).toMatchObject({ code: 'MEDIA_FILE.NO_TAX_REGISTRATION_NUMBER' });
    await stack.http().patch(base).set(stack.admin()).send({ taxRegistrationNumber: '987654321' }).expect(200);
    const unreconciled = await stack.http().get(`${base}/periods/${period}/media-file`).set(finance).expect(409);
    expect(unreconciled.body).toMatchObject({ code: 'MEDIA_FILE.NOT_APPROVED' });
    expect((await stack.http().get(`${base}/periods/${period}/sales-summary`).set(viewer).expect(403)).body.code).toBe('AUTH.FINANCE_ONLY');

    await stack.http().post(`${base}/reconciliations`).set(finance).send({ period }).expect(201);
    const run = () => stack.http().get(`${base}/reconciliations/${period}`).set(finance).then((r) => r.body);
    const drafted = await eventually(run, (r) => ['draft', 'uploading', 'sent', 'accepted'].includes(r.state));
    if (drafted.state === 'draft') {
      expect((await stack.http().get(`${base}/periods/${period}/media-file`).set(finance).expect(409)).body.message).toContain('draft');
      await stack.http().post(`${base}/reconciliations/${period}/approve`).set(finance).expect(200);
    }
    await eventually(run, (r) => r.state === 'accepted');
  });

  it('files every number once: each record 81 ASCII bytes, read back field by field, totals equal to the summary', async () => {
    const response = await stack.http().get(`${base}/periods/${period}/media-file`).set(finance).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(response.headers['content-disposition']).toContain(`${BANS.seller}.TXT`);
    const bytes = response.body as Buffer;
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const text = bytes.toString('ascii');
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.every((line) => line.length === MEDIA_RECORD_LENGTH)).toBe(true);

    const records = parseMediaFile(text);
    expect(records.map((r) => r.serial)).toEqual(records.map((_, i) => i + 1));
    expect(new Set(records.map((r) => `${r.taxRegistrationNumber}${r.sellerBan}`))).toEqual(new Set([`987654321${BANS.seller}`]));
    const of = (number: string) => records.filter((r) => r.invoiceNumber === number && r.formatCode === '35');
    expect(of(numbers.b2bTaxable)).toEqual([expect.objectContaining({ taxClass: '1', buyerBan: BANS.buyer, salesAmount: 1000, taxAmount: 50 })]);
    expect(of(numbers.b2cTaxable)).toEqual([expect.objectContaining({ taxClass: '1', buyerBan: null, salesAmount: 360, taxAmount: 0 })]);
    expect(of(numbers.zeroRated)).toEqual([expect.objectContaining({ taxClass: '2', customsMark: '2', taxAmount: 0 })]);
    expect(of(numbers.exempt)).toEqual([expect.objectContaining({ taxClass: '3', customsMark: null })]);
    expect(of(numbers.mixed).map((r) => `${r.taxClass}:${r.salesAmount}`)).toEqual(['1:1050', '3:300']);
    expect(of(numbers.voided)).toEqual([expect.objectContaining({ taxClass: 'F', salesAmount: 0, taxAmount: 0 })]);
    expect(records.filter((r) => r.formatCode === '33').map((r) => `${r.invoiceNumber}:${r.buyerBan ?? '-'}`).sort()).toEqual(
      [`${numbers.b2bTaxable}:${BANS.buyer}`, `${numbers.b2cTaxable}:-`].sort(),
    );
    const blank = records.filter((r) => r.taxClass === 'D');
    expect(blank).toEqual([expect.objectContaining({ invoiceNumber: 'AB10000006', blankEnd: 10000049 })]);

    const summary = (await stack.http().get(`${base}/periods/${period}/sales-summary`).set(finance).expect(200)).body;
    expect(summary).toMatchObject({ period, complete: true });
    const general = summary.byInvoiceType.find((t: { invoiceType: string }) => t.invoiceType === '07');
    expect(general.counts).toEqual({ issued: 5, voided: 1, blank: 44, allowances: 2 });
    const sum = (pick: (r: (typeof records)[number]) => boolean, field: 'salesAmount' | 'taxAmount') => records.filter(pick).reduce((s, r) => s + r[field], 0);
    expect(general.taxable.toBusiness.sales).toBe(sum((r) => r.formatCode === '35' && r.taxClass === '1' && r.buyerBan !== null, 'salesAmount'));
    expect(general.taxable.toConsumers.taxIncluded).toBe(sum((r) => r.formatCode === '35' && r.taxClass === '1' && r.buyerBan === null, 'salesAmount'));
    expect(general.zeroRated.throughCustoms).toBe(sum((r) => r.formatCode === '35' && r.taxClass === '2', 'salesAmount'));
    expect(general.exempt).toBe(sum((r) => r.formatCode === '35' && r.taxClass === '3', 'salesAmount'));
    expect(general.returnsAndAllowances.taxable.tax).toBe(sum((r) => r.formatCode === '33', 'taxAmount'));

    const workbook = await stack.http().get(`${base}/periods/${period}/sales-summary.xlsx`).set(finance).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook.body);
    expect(book.worksheets.map((s) => s.name)).toEqual(['401 銷項 sales', '應稅 taxable', '零稅率 zero-rated', '免稅 exempt', '作廢 voided', '空白 blank']);
    expect(book.getWorksheet('應稅 taxable')!.rowCount - 1).toBe(records.filter((r) => r.taxClass === '1').length);
  });

  it('refuses (409, naming the number) when the ledger lost a number', async () => {
    await stack.db.dataSource.query(`UPDATE invoices SET status = 'cancelled_blank', voided_at = now(), void_reason = 'lost' WHERE invoice_number = $1`, [numbers.exempt]);
    const refused = await stack.http().get(`${base}/periods/${period}/media-file`).set(finance).expect(409);
    expect(refused.body.code).toBe('MEDIA_FILE.INCOMPLETE');
    expect(refused.body.message).toContain(numbers.exempt);
  });
});
