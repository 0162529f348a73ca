import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { safeText } from './safe-text';

/** One EINV450 row as the export writes it; dates already as `yyyy-MM-dd` (Taipei). */
export interface BlankNumberSheetRow {
  period: string;
  invoiceNumber: string;
  invoiceDate: string;
  voidDate: string;
  channel: string;
  operator: string;
  status: string;
  skipped: boolean;
}

/** The EINV450 columns, with the widths that fit their content. */
export const BLANK_NUMBER_COLUMNS = [
  { header: '期別 period', key: 'period', width: 11 },
  { header: '發票號 number', key: 'invoiceNumber', width: 15 },
  { header: '發票日期 invoice date', key: 'invoiceDate', width: 20 },
  { header: '作廢日期 void date', key: 'voidDate', width: 18 },
  { header: '部門 channel', key: 'channel', width: 16 },
  { header: '操作者 operator', key: 'operator', width: 20 },
  { header: '狀態 status', key: 'status', width: 18 },
  { header: '跳號 skipped', key: 'skipped', width: 12 },
] as const;

/**
 * Streams the blank-number listing as an .xlsx into `out`: exceljs' streaming WorkbookWriter commits each row as it
 * is written, so 100,000 rows never sit in memory. Frozen, bold header row; every cell is text.
 */
export async function writeBlankNumbersWorkbook(out: Writable, rows: AsyncIterable<BlankNumberSheetRow>): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('空白字軌 blank numbers', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = BLANK_NUMBER_COLUMNS.map((c) => ({ ...c }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  header.commit();
  let count = 0;
  for await (const row of rows) {
    sheet
      .addRow([
        safeText(row.period), safeText(row.invoiceNumber), safeText(row.invoiceDate), safeText(row.voidDate),
        safeText(row.channel), safeText(row.operator), safeText(row.status), row.skipped ? 'Y' : '',
      ])
      .commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
