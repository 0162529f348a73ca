import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { InvoiceExportRow, writeInvoiceExportCsv } from '../csv/invoice-export.csv';
import { writeInvoiceExportWorkbook } from './invoice-export-workbook';

const row = (n: number, extra: Partial<InvoiceExportRow> = {}): InvoiceExportRow => ({
  sellerBan: '12345675', sellerName: '範例股份有限公司', number: `AB${String(10000000 + n)}`, issuedAt: '2026-01-15 12:00:00', period: '11502',
  billingNo: `SO-${n}`, channel: 'web', buyerBan: '', buyerName: '王小明', sales: 100, zeroTaxSales: 0, freeTaxSales: 0, tax: 5, total: 105,
  status: '已接受 accepted', dueAt: '', sentAt: '2026-01-15 12:00:01', acceptedAt: '2026-01-15 12:00:02', voidedAt: '', allowances: 0, allowanceTotal: 0, error: '',
  ...extra,
});
async function* rows(list: InvoiceExportRow[]) {
  yield* list;
}
async function written(write: (out: PassThrough) => Promise<number>): Promise<{ count: number; bytes: Buffer }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const count = await write(out);
  out.end();
  return { count, bytes: Buffer.concat(chunks) };
}

describe('invoice exports', () => {
  it('writes the xlsx a sheet per rowsPerSheet rows, each with the header, amounts as numbers, formulas as text', async () => {
    const { count, bytes } = await written((out) => writeInvoiceExportWorkbook(out, rows([row(1), row(2), row(3, { buyerName: '=1+1' }), row(4), row(5)]), { rowsPerSheet: 2 }));
    expect(count).toBe(5);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => [s.name, s.actualRowCount])).toEqual([['發票 invoices', 3], ['發票 invoices 2', 3], ['發票 invoices 3', 2]]);
    const second = workbook.worksheets[1];
    expect(second.getRow(1).getCell(3).value).toBe('發票號碼 number');
    expect(second.getRow(2).getCell(3).value).toBe('AB10000003');
    expect(second.getRow(2).getCell(9).value).toBe("'=1+1");
    expect(second.getRow(2).getCell(14).value).toBe(105);
  });

  it('writes an empty xlsx and an empty CSV with their header only', async () => {
    const xlsx = await written((out) => writeInvoiceExportWorkbook(out, rows([])));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets[0].actualRowCount).toBe(1);
    const csv = await written((out) => writeInvoiceExportCsv(out, rows([])));
    expect(csv.count).toBe(0);
    const parsed: string[][] = parse(csv.bytes.toString('utf8').replace(/^\ufeff/, ''));
    expect(parsed).toHaveLength(1);
    expect(parsed[0][0]).toBe('賣方統編 seller BAN');
  });

  it('writes CSV quoted where needed, with a BOM', async () => {
    const csv = await written((out) => writeInvoiceExportCsv(out, rows([row(1, { buyerName: '王, "小明"', error: 'S099 bad\nline' })])));
    const text = csv.bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [, first]: string[][] = parse(text.slice(1));
    expect(first[8]).toBe('王, "小明"');
    expect(first[21]).toBe('S099 bad\nline');
    expect(first[13]).toBe('105');
  });
});
