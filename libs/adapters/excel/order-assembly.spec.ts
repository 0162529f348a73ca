import { ErrorDetail } from '../../domain/domain-error';
import { OrderSheetRow, assembleOrders } from './order-assembly';
import { OrderColumnKey } from './order-columns';

// Rows as the sheet reader hands them over: cells already read, no workbook involved.

type Values = OrderSheetRow['values'];

const sheetRow = (row: number, values: Values, unreadable: [OrderColumnKey, ErrorDetail][] = []): OrderSheetRow => ({
  row,
  values,
  failed: new Set(unreadable.map(([key]) => key)),
  errors: unreadable.map(([, error]) => error),
});

const rows = (...valuesByRow: Values[]): OrderSheetRow[] => valuesByRow.map((values, i) => sheetRow(i + 2, values));

const b2c = (billingNo: string, extra: Values = {}): Values => ({
  billingNo,
  taxType: '1',
  carrierType: '3J0002',
  carrierId: '/ABC+123',
  description: '咖啡豆',
  quantity: 2,
  unitPrice: 50,
  amount: 100,
  ...extra,
});

const line = (billingNo: string, extra: Values = {}): Values => ({
  billingNo,
  description: '濾紙',
  quantity: 3,
  unitPrice: 10,
  amount: 30,
  ...extra,
});

const where = (errors: ErrorDetail[]) => errors.map((e) => [e.row, e.column, e.code]);

describe('assembleOrders: grouping', () => {
  it('makes one invoice of the rows of a BillingNo, in order of first appearance, lines in row order', () => {
    const result = assembleOrders(
      rows(
        b2c('M1', { description: 'first', totalAmount: 160, remark: '兩筆' }),
        b2c('M2'),
        line('M1', { description: 'second', unit: '盒' }),
        line('M1', { description: 'third', lineRemark: '贈品', quantity: 1, unitPrice: 30 }),
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.rowsImportable).toBe(4);
    expect(result.orders.map((o) => [o.ordinal, o.billingNo, o.rows])).toEqual([
      [0, 'M1', [2, 4, 5]],
      [1, 'M2', [3]],
    ]);
    expect(result.orders[0].input).toEqual({
      billingNo: 'M1',
      taxType: '1',
      buyer: {},
      carrier: { type: '3J0002', id: '/ABC+123' },
      totalAmount: 160,
      mainRemark: '兩筆',
      lines: [
        { description: 'first', quantity: 2, unitPrice: 50, amount: 100 },
        { description: 'second', quantity: 3, unit: '盒', unitPrice: 10, amount: 30 },
        { description: 'third', quantity: 1, unitPrice: 30, amount: 30, remark: '贈品' },
      ],
    });
  });

  it('accepts invoice-level values repeated on every row of the order when they agree', () => {
    const result = assembleOrders(rows(b2c('M1', { buyerEmail: 'a@b.tw' }), b2c('M1', { buyerEmail: 'a@b.tw' })));
    expect(result.errors).toEqual([]);
    expect(result.orders).toHaveLength(1);
    expect(result.orders[0].input.buyer).toEqual({ email: 'a@b.tw' });
    expect(result.orders[0].input.lines).toHaveLength(2);
  });

  it('builds a B2B input with Y/N print as a boolean and a zero-rate pair', () => {
    const result = assembleOrders(
      rows({
        billingNo: 'Z1',
        buyerBan: '53212539',
        buyerName: '範例股份有限公司',
        invoiceType: '07',
        taxType: '2',
        customsClearanceMark: '1',
        zeroTaxRateReason: '71',
        print: true,
        description: '出口貨物',
        quantity: 1,
        unitPrice: 100,
        amount: 100,
        lineTaxType: '2',
      }),
    );
    expect(result.errors).toEqual([]);
    expect(result.orders[0].input).toEqual({
      billingNo: 'Z1',
      invoiceType: '07',
      taxType: '2',
      buyer: { ban: '53212539', name: '範例股份有限公司' },
      print: true,
      zeroTax: { customsClearanceMark: '1', reason: '71' },
      lines: [{ description: '出口貨物', quantity: 1, unitPrice: 100, amount: 100, taxType: '2' }],
    });
  });
});

describe('assembleOrders: BillingNo repeated in the file', () => {
  it('merges rows of a BillingNo far apart into one order rather than two', () => {
    const result = assembleOrders(rows(b2c('D1'), b2c('D2'), b2c('D3'), line('D1')));
    expect(result.orders.map((o) => [o.billingNo, o.rows])).toEqual([
      ['D1', [2, 5]],
      ['D2', [3]],
      ['D3', [4]],
    ]);
  });

  it('reports a conflicting invoice-level value on the repeated row and keeps the whole order out', () => {
    const result = assembleOrders(rows(b2c('D1'), b2c('OK'), b2c('D1', { carrierId: '/XYZ+999' })));
    expect(result.errors).toEqual([
      {
        row: 4,
        column: 'K 載具號碼',
        code: 'ORDER.CONFLICTING_VALUE',
        message:
          '載具號碼 (CarrierId) of order D1 is "/ABC+123" on row 2 but "/XYZ+999" here; repeat the same value or ' +
          'leave it empty after the first row',
      },
    ]);
    expect(result.orders.map((o) => [o.ordinal, o.billingNo])).toEqual([[1, 'OK']]);
    expect(result.rowsImportable).toBe(1);
  });

  it('shows Print as Y/N when repeated rows disagree on it', () => {
    const result = assembleOrders(
      rows(b2c('P1', { carrierType: undefined, carrierId: undefined, print: true }), line('P1', { print: false })),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'M 列印', message: expect.stringContaining('is "Y" on row 2 but "N" here') }),
    ]);
  });

  it('keeps out every row of an order when one of its rows could not be read', () => {
    const cellError = { row: 3, column: 'Q 數量', code: 'ORDER.NOT_A_NUMBER', message: '數量 (Quantity): "two" is not a number' };
    const result = assembleOrders([
      sheetRow(2, b2c('D1')),
      sheetRow(3, line('D1', { quantity: undefined }), [['quantity', cellError]]),
      sheetRow(4, b2c('OK')),
    ]);
    // The quantity check does not repeat the unreadable cell's error.
    expect(result.errors).toEqual([cellError]);
    expect(result.orders.map((o) => [o.ordinal, o.billingNo, o.rows])).toEqual([[1, 'OK', [4]]]);
    expect(result.rowsImportable).toBe(1);
  });

  it('does not check the total of an order whose line amounts could not all be read', () => {
    const cellError = { row: 3, column: 'T 金額', code: 'ORDER.NOT_A_NUMBER', message: 'not a number' };
    const result = assembleOrders([
      sheetRow(2, b2c('T1', { totalAmount: 999 })),
      sheetRow(3, line('T1', { amount: undefined }), [['amount', cellError]]),
    ]);
    expect(result.errors).toEqual([cellError]);
  });
});

describe('assembleOrders: the row and column of each error', () => {
  it('names the line row for line errors and the row carrying the value for invoice-level ones', () => {
    const result = assembleOrders(
      rows(
        b2c('E1'),
        line('E1', { amount: 31, buyerEmail: 'not-an-email' }),
        b2c('E2', { buyerBan: '12345678', buyerName: 'X', carrierType: undefined, carrierId: undefined, print: true }),
      ),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'E 買方Email', field: 'buyer.email', code: 'INVOICE.BUYER_EMAIL_INVALID' }),
      expect.objectContaining({ row: 3, column: 'T 金額', field: 'lines[1].amount', code: 'INVOICE.LINE_AMOUNT_MISMATCH' }),
      expect.objectContaining({ row: 4, column: 'B 買方統編', field: 'buyer.ban', code: 'INVOICE.BUYER_BAN_INVALID' }),
    ]);
    expect(result.orders).toEqual([]);
  });

  it('reports a missing BillingNo on its row, once even when the cell was unreadable', () => {
    const unreadable = { row: 3, column: 'A 訂單編號', code: 'ORDER.CELL_TYPE', message: 'a date' };
    const result = assembleOrders([
      sheetRow(2, b2c('', { billingNo: undefined })),
      sheetRow(3, b2c('', { billingNo: undefined }), [['billingNo', unreadable]]),
      sheetRow(4, b2c('OK')),
    ]);
    expect(result.errors).toEqual([
      {
        row: 2,
        column: 'A 訂單編號',
        code: 'ORDER.REQUIRED',
        message: '訂單編號 (BillingNo) is required: every row needs the BillingNo of its order',
      },
      unreadable,
    ]);
    expect(result.orders.map((o) => [o.ordinal, o.billingNo])).toEqual([[0, 'OK']]);
  });

  it('reports a missing tax type on the first row, a missing line cell on its row, half a carrier by the other half', () => {
    const result = assembleOrders(
      rows(
        b2c('C1', { taxType: undefined }),
        line('C1', { description: undefined }),
        b2c('C2', { carrierId: undefined }),
        line('C2'),
      ),
    );
    expect(where(result.errors)).toEqual([
      [2, 'G 課稅別', 'ORDER.REQUIRED'],
      [3, 'P 品名', 'ORDER.REQUIRED'],
      [4, 'K 載具號碼', 'ORDER.REQUIRED'],
    ]);
    expect(result.errors[2].message).toBe('載具號碼 (CarrierId) is required: a carrier needs its id');
  });

  it('names the reason column for zero-rate details given without the customs mark', () => {
    const result = assembleOrders(rows(b2c('Z1', { zeroTaxRateReason: '71' })));
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'I 零稅率原因', field: 'zeroTax', code: 'INVOICE.ZERO_TAX_NOT_APPLICABLE' }),
    ]);
  });

  it("sorts every error, the rows' own included, by row then column", () => {
    const stray = { row: 3, column: 'X', code: 'ORDER.UNEXPECTED_CELL', message: 'cell X3 is outside the columns' };
    const result = assembleOrders([
      sheetRow(2, b2c('S1', { amount: 101 })),
      { ...sheetRow(3, b2c('S1', { carrierId: '/XYZ+999', buyerEmail: 'bad' })), errors: [stray] },
    ]);
    expect(where(result.errors)).toEqual([
      [2, 'T 金額', 'INVOICE.LINE_AMOUNT_MISMATCH'],
      [3, 'E 買方Email', 'INVOICE.BUYER_EMAIL_INVALID'],
      [3, 'K 載具號碼', 'ORDER.CONFLICTING_VALUE'],
      [3, 'X', 'ORDER.UNEXPECTED_CELL'],
    ]);
  });

  it('does not change the rows it is given', () => {
    const given = rows(b2c('R1', { description: undefined }));
    assembleOrders(given);
    expect([...given[0].failed]).toEqual([]);
  });
});

describe('assembleOrders: print and MIG limits by cell', () => {
  const b2b = (billingNo: string, extra: Values = {}): Values => ({
    billingNo,
    buyerBan: '53212539',
    buyerName: '買方股份有限公司',
    taxType: '1',
    description: '顧問服務',
    quantity: 1,
    unitPrice: 1000,
    amount: 1000,
    ...extra,
  });

  it('prints a B2B order without a carrier when 列印 is empty, and refuses N there naming the cell', () => {
    const result = assembleOrders(rows(b2b('B1'), b2b('B2', { print: false }), b2b('B3', { print: false, carrierType: '3J0002', carrierId: '/ABC+123' })));
    expect(result.orders.map((o) => [o.billingNo, o.input.print])).toEqual([
      ['B1', true],
      ['B3', false],
    ]);
    expect(where(result.errors)).toEqual([[3, 'M 列印', 'INVOICE.B2B_PRINT_REQUIRED']]);
  });

  it('names the column and the limit of a line remark over 120 and a buyer name over 60 characters', () => {
    const result = assembleOrders(rows(b2c('L1', { lineRemark: '備'.repeat(121), buyerName: '名'.repeat(61) })));
    expect(where(result.errors)).toEqual([
      [2, 'C 買方名稱', 'INVOICE.BUYER_NAME_TOO_LONG'],
      [2, 'V 明細備註', 'INVOICE.LINE_REMARK_TOO_LONG'],
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining('60 characters'), expect.stringContaining('120 characters')]);
  });
});
