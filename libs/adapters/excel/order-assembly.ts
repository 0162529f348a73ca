/**
 * From the read rows of an order sheet to invoice inputs: rows grouped by BillingNo, each order's invoice input
 * assembled and validated, every problem named by sheet row and column. Plain data in and out, no workbook: the
 * database checks (BillingNo already issued, number stock) are the import service's.
 */

import { ErrorDetail } from '../../domain/domain-error';
import { InvoiceType } from '../../domain/track-file';
import {
  CarrierType,
  InvoiceInput,
  InvoiceLineInput,
  InvoiceTaxType,
  LineTaxType,
} from '../../domain/invoice/invoice.types';
import { validateInvoiceInput } from '../../domain/invoice/validate-invoice';
import { withDeliveryDefaults } from '../../domain/invoice/validate-delivery';
import { ORDER_COLUMNS, OrderCellValue, OrderColumnKey, orderColumn, orderColumnHeader, orderColumnLabel } from './order-columns';

/** One non-empty data row, its cells already read. */
export interface OrderSheetRow {
  /** Sheet row number; the header is row 1. */
  row: number;
  values: Partial<Record<OrderColumnKey, OrderCellValue>>;
  /** Columns that have a value in the sheet but could not be read; their errors are in `errors`. */
  failed: ReadonlySet<OrderColumnKey>;
  /** Problems found reading the row's cells. */
  errors: ErrorDetail[];
}

export interface ParsedOrder {
  /** 0-based position of the order's BillingNo by first appearance in the file (over all orders, importable or not). */
  ordinal: number;
  billingNo: string;
  /** Sheet row numbers of the order's lines, in sheet order (= line order). */
  rows: number[];
  input: InvoiceInput;
}

export interface AssembledOrders {
  /** Rows belonging to orders without any error. */
  rowsImportable: number;
  /** Importable orders, in order of first appearance. */
  orders: ParsedOrder[];
  /** Every row-level problem (the rows' own included), sorted by row then column. */
  errors: ErrorDetail[];
}

interface GroupRow {
  row: number;
  values: Partial<Record<OrderColumnKey, OrderCellValue>>;
  /** Columns unreadable or missing; assembling adds the missing required line cells. */
  failed: Set<OrderColumnKey>;
}

interface OrderGroup {
  ordinal: number;
  billingNo: string;
  rows: GroupRow[];
}

/**
 * Groups rows by BillingNo (in order of first appearance, lines in row order) and turns each order into an invoice
 * input. Only orders none of whose rows has an error are returned in `orders`.
 */
export function assembleOrders(rows: readonly OrderSheetRow[]): AssembledOrders {
  const errors: ErrorDetail[] = [];
  const groups = new Map<string, OrderGroup>();
  for (const { row, values, failed, errors: cellErrors } of rows) {
    errors.push(...cellErrors);
    const billingNo = values.billingNo;
    if (billingNo === undefined) {
      if (!failed.has('billingNo')) {
        errors.push(requiredError(row, 'billingNo', 'every row needs the BillingNo of its order'));
      }
      continue;
    }
    const key = String(billingNo);
    const group = groups.get(key) ?? { ordinal: groups.size, billingNo: key, rows: [] };
    group.rows.push({ row, values, failed: new Set(failed) });
    groups.set(key, group);
  }

  const checked = [...groups.values()].map((group) => ({ group, ...checkOrder(group) }));
  for (const order of checked) errors.push(...order.errors);
  const rowsInError = new Set(errors.map((e) => e.row));
  const orders: ParsedOrder[] = [];
  let rowsImportable = 0;
  for (const { group, input } of checked) {
    if (group.rows.some((r) => rowsInError.has(r.row))) continue;
    orders.push({ ordinal: group.ordinal, billingNo: group.billingNo, rows: group.rows.map((r) => r.row), input });
    rowsImportable += group.rows.length;
  }
  return { rowsImportable, orders, errors: sortErrors(errors) };
}

function requiredError(row: number, key: OrderColumnKey, why?: string): ErrorDetail {
  return {
    row,
    column: orderColumnLabel(key),
    code: 'ORDER.REQUIRED',
    message: `${orderColumnHeader(orderColumn(key))} is required${why ? `: ${why}` : ''}`,
  };
}

const INVOICE_KEYS = ORDER_COLUMNS.filter((c) => c.level === 'invoice').map((c) => c.key);

interface Assembled {
  input: InvoiceInput;
  /** Row that supplied each invoice-level value (the order's first row when none did). */
  sourceRow: Partial<Record<OrderColumnKey, number>>;
  /** Invoice-level columns whose value could not be read; line-level ones are in each row's `failed`. */
  failed: Set<OrderColumnKey>;
  errors: ErrorDetail[];
}

/** Builds the invoice input of an order; placeholders stand in for unreadable cells (their errors are reported). */
function assemble(group: OrderGroup): Assembled {
  const errors: ErrorDetail[] = [];
  const first = group.rows[0].row;
  const value: Partial<Record<OrderColumnKey, OrderCellValue>> = {};
  const sourceRow: Partial<Record<OrderColumnKey, number>> = {};
  const failed = new Set<OrderColumnKey>();
  for (const key of INVOICE_KEYS) {
    for (const row of group.rows) {
      if (row.failed.has(key)) {
        if (!(key in sourceRow)) {
          failed.add(key);
          sourceRow[key] = row.row;
        }
        continue;
      }
      const v = row.values[key];
      if (v === undefined) continue;
      if (!(key in sourceRow)) {
        value[key] = v;
        sourceRow[key] = row.row;
      } else if (!failed.has(key) && value[key] !== v) {
        errors.push({
          row: row.row,
          column: orderColumnLabel(key),
          code: 'ORDER.CONFLICTING_VALUE',
          message:
            `${orderColumnHeader(orderColumn(key))} of order ${group.billingNo} is "${show(value[key])}" on row ` +
            `${sourceRow[key]} but "${show(v)}" here; repeat the same value or leave it empty after the first row`,
        });
      }
    }
  }
  if (value.taxType === undefined && !failed.has('taxType')) errors.push(requiredError(first, 'taxType'));
  // Half a carrier: report the missing half where the other half is, and validate the rest as if it had a carrier.
  const pairs = [
    ['carrierType', 'carrierId', 'a carrier needs its id'],
    ['carrierId', 'carrierType', 'a carrier id needs its type'],
  ] as const;
  for (const [present, missing, why] of pairs) {
    if (sourceRow[present] !== undefined && sourceRow[missing] === undefined) {
      sourceRow[missing] = sourceRow[present];
      errors.push(requiredError(sourceRow[missing], missing, why));
    }
  }

  const lines: InvoiceLineInput[] = group.rows.map((row) => {
    for (const key of ['description', 'quantity', 'unitPrice', 'amount'] as const) {
      if (row.values[key] === undefined && !row.failed.has(key)) {
        errors.push(requiredError(row.row, key));
        row.failed.add(key);
      }
    }
    const v = row.values;
    return compact({
      description: str(v.description) ?? '',
      quantity: num(v.quantity),
      unitPrice: num(v.unitPrice),
      amount: num(v.amount),
      unit: str(v.unit),
      taxType: str(v.lineTaxType) as LineTaxType | undefined,
      remark: str(v.lineRemark),
    });
  });

  const hasCarrier = sourceRow.carrierType !== undefined || sourceRow.carrierId !== undefined;
  const hasZeroTax = value.customsClearanceMark !== undefined || value.zeroTaxRateReason !== undefined;
  const input: InvoiceInput = withDeliveryDefaults(compact({
    billingNo: group.billingNo,
    invoiceType: str(value.invoiceType) as InvoiceType | undefined,
    taxType: (str(value.taxType) ?? '') as InvoiceTaxType,
    buyer: compact({
      ban: str(value.buyerBan),
      name: str(value.buyerName),
      address: str(value.buyerAddress),
      email: str(value.buyerEmail),
    }),
    carrier: hasCarrier
      ? { type: (str(value.carrierType) ?? '') as CarrierType, id: str(value.carrierId) ?? '' }
      : undefined,
    npoban: str(value.npoban),
    print: typeof value.print === 'boolean' ? value.print : undefined,
    zeroTax: hasZeroTax
      ? {
          customsClearanceMark: (str(value.customsClearanceMark) ?? '') as '1' | '2',
          reason: str(value.zeroTaxRateReason) ?? '',
        }
      : undefined,
    lines,
    totalAmount: value.totalAmount === undefined ? undefined : num(value.totalAmount),
    mainRemark: str(value.remark),
  }));
  return { input, sourceRow, failed, errors };
}

function show(value: OrderCellValue | undefined): string {
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  return String(value);
}

function str(value: OrderCellValue | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** Numbers of unreadable or missing cells become 0; their error is already reported and masks what follows. */
function num(value: OrderCellValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const FIELD_COLUMNS: Record<string, OrderColumnKey> = {
  billingNo: 'billingNo',
  buyer: 'buyerBan',
  'buyer.ban': 'buyerBan',
  'buyer.name': 'buyerName',
  'buyer.address': 'buyerAddress',
  'buyer.email': 'buyerEmail',
  invoiceType: 'invoiceType',
  taxType: 'taxType',
  zeroTax: 'customsClearanceMark',
  'zeroTax.customsClearanceMark': 'customsClearanceMark',
  'zeroTax.reason': 'zeroTaxRateReason',
  carrier: 'carrierType',
  'carrier.type': 'carrierType',
  'carrier.id': 'carrierId',
  npoban: 'npoban',
  print: 'print',
  totalAmount: 'totalAmount',
  mainRemark: 'remark',
  lines: 'description',
};

const LINE_FIELD_COLUMNS: Record<string, OrderColumnKey> = {
  '': 'description',
  description: 'description',
  quantity: 'quantity',
  unit: 'unit',
  unitPrice: 'unitPrice',
  amount: 'amount',
  taxType: 'lineTaxType',
  remark: 'lineRemark',
};

const NUMERIC_LINE_KEYS: OrderColumnKey[] = ['quantity', 'unitPrice', 'amount'];

/**
 * The input and every error of one order: conflicts and missing cells found while assembling it, then the domain
 * validation of the assembled input mapped back to sheet cells. A validation error on a cell that already has an
 * error, or one that follows from an unreadable number (an amount or total check), is dropped: it would only
 * repeat it.
 */
function checkOrder(group: OrderGroup): { input: InvoiceInput; errors: ErrorDetail[] } {
  const { input, sourceRow, failed, errors } = assemble(group);
  const first = group.rows[0].row;
  const unreadable = (row: number, key: OrderColumnKey) =>
    group.rows.some((r) => r.row === row && r.failed.has(key));
  const totalUnreliable =
    failed.has('taxType') ||
    group.rows.some((r) => NUMERIC_LINE_KEYS.some((k) => r.failed.has(k)) || r.failed.has('lineTaxType'));
  const reported = new Set(errors.map((e) => `${e.row}|${e.column}`));

  for (const problem of validateInvoiceInput(input)) {
    const field = problem.field ?? '';
    let row = first;
    let key: OrderColumnKey | undefined;
    const line = /^lines\[(\d+)\](?:\.(\w+))?/.exec(field);
    if (line) {
      const target = group.rows[Number(line[1])];
      row = target?.row ?? first;
      key = LINE_FIELD_COLUMNS[line[2] ?? ''];
      if (target && key === 'amount' && NUMERIC_LINE_KEYS.some((k) => target.failed.has(k))) continue;
      // Line tax types are judged against the invoice's, which could not be read.
      if (key === 'lineTaxType' && (input.taxType as string) === '') continue;
    } else {
      key = FIELD_COLUMNS[field];
      if (field === 'zeroTax' && sourceRow.customsClearanceMark === undefined && sourceRow.zeroTaxRateReason !== undefined) {
        key = 'zeroTaxRateReason';
      }
      if (key && field !== 'lines') row = sourceRow[key] ?? first;
      if (key === 'totalAmount' && totalUnreliable) continue;
    }
    const column = key ? orderColumnLabel(key) : undefined;
    if ((key && unreadable(row, key)) || reported.has(`${row}|${column}`)) continue;
    errors.push(compact({ row, column, field: problem.field, code: problem.code, message: problem.message }));
  }
  return { input, errors };
}

function sortErrors(errors: ErrorDetail[]): ErrorDetail[] {
  const columnOrder = (column?: string) => {
    if (!column) return -1;
    const letters = column.split(' ')[0];
    return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  };
  return errors
    .map((error, i) => ({ error, i }))
    .sort((a, b) => (a.error.row ?? 0) - (b.error.row ?? 0) || columnOrder(a.error.column) - columnOrder(b.error.column) || a.i - b.i)
    .map(({ error }) => error);
}
