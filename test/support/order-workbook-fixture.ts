import ExcelJS from 'exceljs';
import { ORDER_COLUMNS, ORDER_SHEET_NAME, OrderColumnKey, orderColumnHeader } from '../../libs/adapters/excel/order-columns';

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
