import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { INVOICE_EXPORT_COLUMNS, InvoiceExportRow } from '../csv/invoice-export.csv';
import { safeText } from './safe-text';

/** Below Excel's 1,048,576 rows a sheet: a longer export continues on the next sheet, header repeated. */
export const ROWS_PER_SHEET = 1_000_000;

/**
 * Streams an invoice search as an .xlsx into `out`: exceljs' streaming WorkbookWriter commits each row as it is
 * written, so a million rows never sit in memory. Text stays text (a leading = is shown, never run); amounts are
 * numbers so they sum. `signal` ends a wait for a slow client that has gone.
 */
export async function writeInvoiceExportWorkbook(
  out: Writable,
  rows: AsyncIterable<InvoiceExportRow>,
  options: { signal?: AbortSignal; rowsPerSheet?: number } = {},
): Promise<number> {
  const rowsPerSheet = options.rowsPerSheet ?? ROWS_PER_SHEET;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  let sheet: ExcelJS.Worksheet | undefined;
  let inSheet = 0;
  let count = 0;
  const newSheet = (n: number) => {
    sheet?.commit();
    sheet = workbook.addWorksheet(n === 1 ? '發票 invoices' : `發票 invoices ${n}`, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = INVOICE_EXPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    header.commit();
    inSheet = 0;
  };
  newSheet(1);
  for await (const row of rows) {
    if (inSheet === rowsPerSheet) newSheet(Math.floor(count / rowsPerSheet) + 1);
    sheet!.addRow(INVOICE_EXPORT_COLUMNS.map((c) => (typeof row[c.key] === 'number' ? row[c.key] : safeText(row[c.key] as string)))).commit();
    inSheet++;
    count++;
    // The zip is piped into `out` but takes rows whatever `out` holds: wait for a slow client every so often.
    if (count % 500 === 0 && out.writableNeedDrain) await once(out, 'drain', { signal: options.signal });
  }
  sheet!.commit();
  await workbook.commit();
  return count;
}
