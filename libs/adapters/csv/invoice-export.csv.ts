import { stringify } from 'csv-stringify';
import { once } from 'node:events';
import { Writable } from 'node:stream';

/** One invoice as an export writes it: times already as Taipei `yyyy-MM-dd HH:mm:ss`, money as whole dollars. */
export interface InvoiceExportRow {
  sellerBan: string;
  sellerName: string;
  number: string;
  issuedAt: string;
  period: string;
  billingNo: string;
  channel: string;
  buyerBan: string;
  buyerName: string;
  sales: number;
  zeroTaxSales: number;
  freeTaxSales: number;
  tax: number;
  total: number;
  status: string;
  dueAt: string;
  sentAt: string;
  acceptedAt: string;
  voidedAt: string;
  allowances: number;
  allowanceTotal: number;
  error: string;
}

/** The export's columns, the same in CSV and xlsx: Traditional Chinese with English, as the page shows them. */
export const INVOICE_EXPORT_COLUMNS: { key: keyof InvoiceExportRow; header: string; width: number }[] = [
  { key: 'sellerBan', header: '賣方統編 seller BAN', width: 12 },
  { key: 'sellerName', header: '賣方 seller', width: 22 },
  { key: 'number', header: '發票號碼 number', width: 14 },
  { key: 'issuedAt', header: '開立時間 issued (台北 UTC+8)', width: 21 },
  { key: 'period', header: '期別 period', width: 9 },
  { key: 'billingNo', header: '訂單編號 BillingNo', width: 22 },
  { key: 'channel', header: '通路 channel', width: 12 },
  { key: 'buyerBan', header: '買方統編 buyer BAN', width: 12 },
  { key: 'buyerName', header: '買方 buyer', width: 22 },
  { key: 'sales', header: '應稅銷售額 taxable sales', width: 14 },
  { key: 'zeroTaxSales', header: '零稅率銷售額 zero-rated', width: 14 },
  { key: 'freeTaxSales', header: '免稅銷售額 exempt', width: 14 },
  { key: 'tax', header: '稅額 tax', width: 10 },
  { key: 'total', header: '總計 total', width: 12 },
  { key: 'status', header: '狀態 status', width: 16 },
  { key: 'dueAt', header: '上傳期限 upload due (台北)', width: 21 },
  { key: 'sentAt', header: '已送出 sent (台北)', width: 21 },
  { key: 'acceptedAt', header: '已接受 accepted (台北)', width: 21 },
  { key: 'voidedAt', header: '作廢 voided (台北)', width: 21 },
  { key: 'allowances', header: '折讓筆數 live allowances', width: 10 },
  { key: 'allowanceTotal', header: '折讓金額 allowances total', width: 14 },
  { key: 'error', header: '平台錯誤 platform error', width: 30 },
];

/** A text cell a spreadsheet would run as a formula (CSV injection) gets a leading apostrophe, as in the xlsx. */
const safe = (value: string | number) => (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * Streams an invoice search as CSV into `out` (UTF-8 with a BOM, so Excel reads the Chinese right): csv-stringify
 * quotes as needed, and each write waits while `out` is full, so memory stays flat at any size. `signal` ends the
 * wait when the client has gone.
 */
export async function writeInvoiceExportCsv(out: Writable, rows: AsyncIterable<InvoiceExportRow>, signal?: AbortSignal): Promise<number> {
  const csv = stringify({ bom: true, header: true, columns: INVOICE_EXPORT_COLUMNS.map((c) => ({ key: c.key, header: c.header })) });
  csv.pipe(out, { end: false });
  let count = 0;
  for await (const row of rows) {
    const cells = Object.fromEntries(INVOICE_EXPORT_COLUMNS.map((c) => [c.key, safe(row[c.key])]));
    if (!csv.write(cells)) await once(csv, 'drain', { signal });
    count++;
  }
  csv.end();
  await once(csv, 'end');
  return count;
}
