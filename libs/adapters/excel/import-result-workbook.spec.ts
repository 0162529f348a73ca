import ExcelJS from 'exceljs';
import {
  IMPORT_RESULT_COLUMNS,
  IMPORT_RESULT_SHEET_NAME,
  IMPORT_RESULT_STATUS_TEXT,
  ImportResultRow,
  buildImportResultWorkbook,
} from './import-result-workbook';

async function readBack(content: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  expect(workbook.worksheets.map((s) => s.name)).toEqual([IMPORT_RESULT_SHEET_NAME]);
  const rows: unknown[][] = [];
  workbook.getWorksheet(IMPORT_RESULT_SHEET_NAME)!.eachRow((row) => {
    rows.push([1, 2, 3, 4, 5].map((col) => row.getCell(col).value));
  });
  return rows;
}

describe('buildImportResultWorkbook', () => {
  it('lists every row, by sheet row, with its invoice number or message', async () => {
    const rows: ImportResultRow[] = [
      { row: 4, billingNo: 'ORD-0002', invoiceNumber: 'AB12345679', status: 'issued' },
      { row: 2, billingNo: 'ORD-0001', invoiceNumber: 'AB12345678', status: 'issued', message: null },
      { row: 3, billingNo: 'ORD-0001', invoiceNumber: 'AB12345678', status: 'issued' },
      { row: 6, billingNo: 'ORD-0004', status: 'failed', message: 'no invoice numbers left for period 11502' },
      { row: 5, billingNo: 'ORD-0003', invoiceNumber: null, status: 'not imported', message: 'C 買方統編: invalid BAN' },
    ];
    expect(await readBack(await buildImportResultWorkbook(rows))).toEqual([
      [...IMPORT_RESULT_COLUMNS],
      [2, 'ORD-0001', 'AB12345678', IMPORT_RESULT_STATUS_TEXT.issued, null],
      [3, 'ORD-0001', 'AB12345678', IMPORT_RESULT_STATUS_TEXT.issued, null],
      [4, 'ORD-0002', 'AB12345679', IMPORT_RESULT_STATUS_TEXT.issued, null],
      [5, 'ORD-0003', null, IMPORT_RESULT_STATUS_TEXT['not imported'], 'C 買方統編: invalid BAN'],
      [6, 'ORD-0004', null, IMPORT_RESULT_STATUS_TEXT.failed, 'no invoice numbers left for period 11502'],
    ]);
  });

  it('has the bilingual header and statuses', () => {
    expect(IMPORT_RESULT_COLUMNS).toEqual([
      '列 (Row)',
      '訂單編號 (BillingNo)',
      '發票號碼 (InvoiceNumber)',
      '狀態 (Status)',
      '訊息 (Message)',
    ]);
    expect(Object.values(IMPORT_RESULT_STATUS_TEXT)).toEqual(['已開立 (issued)', '失敗 (failed)', '未匯入 (not imported)']);
  });

  it('writes a header-only sheet for no rows and keeps 10,000 rows', async () => {
    expect(await readBack(await buildImportResultWorkbook([]))).toEqual([[...IMPORT_RESULT_COLUMNS]]);
    const many: ImportResultRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      row: i + 2,
      billingNo: `N${i + 1}`,
      invoiceNumber: `AB${String(12340000 + i).padStart(8, '0')}`,
      status: 'issued',
    }));
    const read = await readBack(await buildImportResultWorkbook(many));
    expect(read).toHaveLength(10_001);
    expect(read[10_000]).toEqual([10_001, 'N10000', 'AB12349999', IMPORT_RESULT_STATUS_TEXT.issued, null]);
  });
});
