import ExcelJS from 'exceljs';

/** What happened to one sheet row of an order import. */
export interface ImportResultRow {
  /** Sheet row number in the uploaded workbook. */
  row: number;
  billingNo: string;
  invoiceNumber?: string | null;
  status: 'issued' | 'failed' | 'not imported';
  message?: string | null;
}

export const IMPORT_RESULT_SHEET_NAME = '結果 Results';

/** Header cells of the result sheet, in column order. */
export const IMPORT_RESULT_COLUMNS = [
  '列 (Row)',
  '訂單編號 (BillingNo)',
  '發票號碼 (InvoiceNumber)',
  '狀態 (Status)',
  '訊息 (Message)',
] as const;

/** How each status is shown: Chinese for staff, the English word for anyone filtering the sheet. */
export const IMPORT_RESULT_STATUS_TEXT: Record<ImportResultRow['status'], string> = {
  issued: '已開立 (issued)',
  failed: '失敗 (failed)',
  'not imported': '未匯入 (not imported)',
};

const STATUS_COLOUR: Record<ImportResultRow['status'], string> = {
  issued: 'FF006100',
  failed: 'FF9C0006',
  'not imported': 'FF9C5700',
};

/** The downloadable result of an import: every row of the uploaded sheet → its invoice number or error, by row. */
export async function buildImportResultWorkbook(rows: readonly ImportResultRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'e-invoice back office';
  const sheet = workbook.addWorksheet(IMPORT_RESULT_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { width: 10 },
    { width: 22, style: { numFmt: '@' } },
    { width: 16, style: { numFmt: '@' } },
    { width: 22 },
    { width: 80 },
  ];
  const header = sheet.addRow([...IMPORT_RESULT_COLUMNS]);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  });
  const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.row - b.r.row || a.i - b.i);
  for (const { r } of sorted) {
    const row = sheet.addRow([
      r.row,
      r.billingNo,
      r.invoiceNumber ?? null,
      IMPORT_RESULT_STATUS_TEXT[r.status],
      r.message ?? null,
    ]);
    row.getCell(4).font = { color: { argb: STATUS_COLOUR[r.status] } };
    row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
  }
  sheet.autoFilter = { from: 'A1', to: 'E1' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
