import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { createServer } from 'node:net';
import { ORDER_COLUMNS, ORDER_SHEET_NAME, OrderColumnKey, orderColumnHeader } from '../adapters/excel/order-columns';
import { TRACK_FILE_COLUMNS } from '../domain';
import { InvoiceInput } from '../domain/invoice/invoice.types';

/** Valid BANs for fixtures (checksum verified in the domain tests): a seller, a second seller, a B2B buyer. */
export const BANS = { seller: '12345675', other: '04595257', buyer: '53212539' } as const;

export interface MofRow {
  ban?: string;
  type?: string;
  period?: string;
  track: string;
  start: string;
  end: string;
}

/** A MOF number file as the platform hands it out: Big5 by default, header row, CRLF. */
export function mofCsv(sellerBan: string, rows: MofRow[], options: { encoding?: 'big5' | 'utf8'; bom?: boolean } = {}): Buffer {
  const lines = [
    TRACK_FILE_COLUMNS.join(','),
    ...rows.map((r) => [r.ban ?? sellerBan, r.type ?? '07', '一般稅額計算', r.period ?? '115/01 ~ 115/02', r.track, r.start, r.end].join(',')),
  ];
  const text = lines.join('\r\n') + '\r\n';
  if ((options.encoding ?? 'big5') === 'big5') return iconv.encode(text, 'big5');
  return Buffer.concat([options.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

/** A valid two-line B2C order with a mobile barcode carrier (the description tests XML escaping). */
export function b2cOrder(billingNo: string, extra: Partial<InvoiceInput> = {}): InvoiceInput {
  return {
    billingNo,
    taxType: '1',
    buyer: { name: '王小明' },
    carrier: { type: '3J0002', id: '/ABC+123' },
    lines: [
      { description: '咖啡豆 <特選> & 濾紙', quantity: 2, unitPrice: 150, amount: 300 },
      { description: '運費', quantity: 1, unitPrice: 60, amount: 60 },
    ],
    ...extra,
  };
}

export type OrderRow = Partial<Record<OrderColumnKey, string | number>>;

/** A real .xlsx as finance staff fill it in: the template's header, one row per order line. */
export async function orderWorkbook(rows: OrderRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(ORDER_SHEET_NAME);
  sheet.addRow(ORDER_COLUMNS.map(orderColumnHeader));
  for (const row of rows) sheet.addRow(ORDER_COLUMNS.map((column) => row[column.key] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A valid one-line B2C order with a mobile barcode carrier. */
export function b2cRow(billingNo: string, extra: OrderRow = {}): OrderRow {
  return {
    billingNo,
    taxType: '1',
    carrierType: '3J0002',
    carrierId: '/ABC+123',
    description: '商品',
    quantity: 2,
    unitPrice: 50,
    amount: 100,
    ...extra,
  };
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
