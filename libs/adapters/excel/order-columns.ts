/**
 * The columns of the EINV111 order workbook: one row per invoice line, the rows of one BillingNo form one invoice.
 * The template writer, the sheet reader and the order assembly all work from this catalogue.
 */

export const ORDER_SHEET_NAME = '訂單 Orders';
export const ORDER_INSTRUCTIONS_SHEET_NAME = '說明 Instructions';
export const MAX_ORDER_ROWS = 10_000;

export interface OrderColumn {
  key: string;
  zh: string;
  en: string;
  level: 'invoice' | 'line';
  required: boolean;
  codes?: string[];
}

/** The template's columns, in sheet order (A, B, …). The header cell of each is `中文名 (EnglishName)`. */
export const ORDER_COLUMNS = [
  { key: 'billingNo', zh: '訂單編號', en: 'BillingNo', level: 'invoice', required: true },
  { key: 'buyerBan', zh: '買方統編', en: 'BuyerBAN', level: 'invoice', required: false },
  { key: 'buyerName', zh: '買方名稱', en: 'BuyerName', level: 'invoice', required: false },
  { key: 'buyerAddress', zh: '買方地址', en: 'BuyerAddress', level: 'invoice', required: false },
  { key: 'buyerEmail', zh: '買方Email', en: 'BuyerEmail', level: 'invoice', required: false },
  { key: 'invoiceType', zh: '發票類別', en: 'InvoiceType', level: 'invoice', required: false, codes: ['07', '08'] },
  { key: 'taxType', zh: '課稅別', en: 'TaxType', level: 'invoice', required: true, codes: ['1', '2', '3', '9'] },
  {
    key: 'customsClearanceMark',
    zh: '通關方式',
    en: 'CustomsClearanceMark',
    level: 'invoice',
    required: false,
    codes: ['1', '2'],
  },
  {
    key: 'zeroTaxRateReason',
    zh: '零稅率原因',
    en: 'ZeroTaxRateReason',
    level: 'invoice',
    required: false,
    codes: ['71', '72', '73', '74', '75', '76', '77', '78', '79'],
  },
  { key: 'carrierType', zh: '載具類別', en: 'CarrierType', level: 'invoice', required: false, codes: ['3J0002', 'CQ0001'] },
  { key: 'carrierId', zh: '載具號碼', en: 'CarrierId', level: 'invoice', required: false },
  { key: 'npoban', zh: '捐贈碼', en: 'NPOBAN', level: 'invoice', required: false },
  { key: 'print', zh: '列印', en: 'Print', level: 'invoice', required: false, codes: ['Y', 'N'] },
  { key: 'totalAmount', zh: '總計', en: 'TotalAmount', level: 'invoice', required: false },
  { key: 'remark', zh: '備註', en: 'Remark', level: 'invoice', required: false },
  { key: 'description', zh: '品名', en: 'Description', level: 'line', required: true },
  { key: 'quantity', zh: '數量', en: 'Quantity', level: 'line', required: true },
  { key: 'unit', zh: '單位', en: 'Unit', level: 'line', required: false },
  { key: 'unitPrice', zh: '單價', en: 'UnitPrice', level: 'line', required: true },
  { key: 'amount', zh: '金額', en: 'Amount', level: 'line', required: true },
  { key: 'lineTaxType', zh: '明細課稅別', en: 'LineTaxType', level: 'line', required: false, codes: ['1', '2', '3'] },
  { key: 'lineRemark', zh: '明細備註', en: 'LineRemark', level: 'line', required: false },
] as const satisfies readonly OrderColumn[];

export type OrderColumnKey = (typeof ORDER_COLUMNS)[number]['key'];

/** What a column's cells hold; `code` and `yesNo` columns take one of the column's `codes`. */
export type OrderCellKind = 'text' | 'ban' | 'number' | 'code' | 'yesNo';

export const ORDER_CELL_KINDS: Record<OrderColumnKey, OrderCellKind> = {
  billingNo: 'text',
  buyerBan: 'ban',
  buyerName: 'text',
  buyerAddress: 'text',
  buyerEmail: 'text',
  invoiceType: 'code',
  taxType: 'code',
  customsClearanceMark: 'code',
  zeroTaxRateReason: 'code',
  carrierType: 'code',
  carrierId: 'text',
  npoban: 'text',
  print: 'yesNo',
  totalAmount: 'number',
  remark: 'text',
  description: 'text',
  quantity: 'number',
  unit: 'text',
  unitPrice: 'number',
  amount: 'number',
  lineTaxType: 'code',
  lineRemark: 'text',
};

/** A cell's value once read: text (codes included), a number, or Print's Y/N as a boolean. */
export type OrderCellValue = string | number | boolean;

/** Excel column letter of a 0-based column index (A … Z, AA …). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The header cell text of a column: `中文名 (EnglishName)`. */
export function orderColumnHeader(column: OrderColumn): string {
  return `${column.zh} (${column.en})`;
}

const COLUMN_INDEX = new Map<OrderColumnKey, number>(ORDER_COLUMNS.map((c, i) => [c.key, i]));

/** The catalogue entry of a column. */
export function orderColumn(key: OrderColumnKey): OrderColumn {
  return ORDER_COLUMNS[COLUMN_INDEX.get(key)!];
}

/** How errors name a column: `<letter> <中文名>`, e.g. `B 買方統編`. */
export function orderColumnLabel(key: OrderColumnKey): string {
  return orderColumnLabelAt(COLUMN_INDEX.get(key)!);
}

/** `<letter> <中文名>` for the 0-based index of a template column, the bare letter beyond them. */
export function orderColumnLabelAt(index: number): string {
  const column: OrderColumn | undefined = ORDER_COLUMNS[index];
  return column ? `${columnLetter(index)} ${column.zh}` : columnLetter(index);
}
