import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/domain-error';
import { MAX_ORDER_ROWS, ORDER_COLUMNS, ORDER_SHEET_NAME, OrderColumnKey, orderColumnHeader } from './order-columns';
import { readOrderWorkbook } from './order-sheet.reader';
import { buildOrderTemplate } from './order-template.writer';

// ---------------------------------------------------------------------------------------------------------------
// Helpers: real .xlsx files written with exceljs

type RowSpec = Partial<Record<OrderColumnKey, ExcelJS.CellValue>>;

const HEADER = ORDER_COLUMNS.map(orderColumnHeader);

interface SheetOptions {
  header?: ExcelJS.CellValue[];
  sheetName?: string;
  /** Extra sheets added before the order sheet. */
  sheetsBefore?: string[];
  edit?: (sheet: ExcelJS.Worksheet) => void;
}

async function workbookOf(rows: RowSpec[], options: SheetOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const name of options.sheetsBefore ?? []) workbook.addWorksheet(name).addRow(['說明 notes']);
  const sheet = workbook.addWorksheet(options.sheetName ?? ORDER_SHEET_NAME);
  sheet.addRow(options.header ?? HEADER);
  for (const spec of rows) sheet.addRow(ORDER_COLUMNS.map((column) => spec[column.key] ?? null));
  options.edit?.(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function readError(content: Buffer, options?: { maxRows?: number; maxUnzippedBytes?: number }): Promise<DomainError> {
  try {
    await readOrderWorkbook(content, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected readOrderWorkbook to reject the file');
}

const b2c = (billingNo: string, extra: RowSpec = {}): RowSpec => ({
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

const b2b = (billingNo: string, extra: RowSpec = {}): RowSpec => ({
  billingNo,
  buyerBan: '53212539',
  buyerName: '範例股份有限公司',
  taxType: '1',
  print: 'Y',
  totalAmount: 105,
  description: '顧問服務',
  quantity: 1,
  unitPrice: 100,
  amount: 100,
  ...extra,
});

const errorRows = (errors: { row?: number }[]): number[] => [...new Set(errors.map((e) => e.row!))].sort((a, b) => a - b);

// ---------------------------------------------------------------------------------------------------------------

describe('readOrderWorkbook: whole-file problems', () => {
  it('rejects CSV bytes and random bytes as not an xlsx', async () => {
    const csv = Buffer.from(`${HEADER.join(',')}\nORD-1,,,,,07,1\n`, 'utf8');
    expect(await readError(csv)).toMatchObject({ kind: 'invalid', code: 'WORKBOOK.NOT_XLSX' });
    expect((await readError(Buffer.from([1, 2, 3, 4, 5, 6]))).code).toBe('WORKBOOK.NOT_XLSX');
    expect((await readError(Buffer.alloc(0))).code).toBe('WORKBOOK.NOT_XLSX');
  });

  it('rejects a damaged xlsx (a zip that does not open) as not an xlsx', async () => {
    const truncated = (await workbookOf([b2c('A1')])).subarray(0, 200);
    expect((await readError(truncated)).code).toBe('WORKBOOK.NOT_XLSX');
  });

  it('names the column and the expected text when a header cell was changed', async () => {
    const header = [...HEADER];
    header[2] = '客戶名稱';
    const error = await readError(await workbookOf([b2c('A1')], { header }));
    expect(error.code).toBe('WORKBOOK.HEADER_CHANGED');
    expect(error.message).toContain('買方名稱 (BuyerName)');
    expect(error.details).toEqual([
      { row: 1, column: 'C 買方名稱', code: 'WORKBOOK.HEADER_CHANGED', message: expect.stringContaining('"買方名稱 (BuyerName)"') },
    ]);
  });

  it('reports reordered, missing and extra columns', async () => {
    const reordered = [HEADER[1], HEADER[0], ...HEADER.slice(2)];
    expect((await readError(await workbookOf([], { header: reordered }))).details.map((d) => d.column)).toEqual([
      'A 訂單編號',
      'B 買方統編',
    ]);
    const missing = HEADER.slice(0, -1);
    expect((await readError(await workbookOf([], { header: missing }))).details.map((d) => d.column)).toEqual([
      'V 明細備註',
    ]);
    const extra = [...HEADER, '手機 (Mobile)'];
    expect((await readError(await workbookOf([b2c('A1')], { header: extra }))).details).toEqual([
      expect.objectContaining({ column: 'W', message: expect.stringContaining('手機 (Mobile)') }),
    ]);
    const noHeader = await workbookOf([b2c('A1')], { header: [] });
    expect((await readError(noHeader)).details).toHaveLength(ORDER_COLUMNS.length);
  });

  it('uses the first sheet whose header matches when the order sheet was renamed', async () => {
    const content = await workbookOf([b2c('A1')], { sheetName: 'Sheet2', sheetsBefore: ['Notes'] });
    expect((await readOrderWorkbook(content)).orders.map((o) => o.billingNo)).toEqual(['A1']);
  });

  it('rejects the whole file for a formula, naming the cell', async () => {
    const content = await workbookOf([b2c('A1'), b2c('A2')], {
      edit: (sheet) => {
        sheet.getCell('T3').value = { formula: 'Q3*S3', result: 100 };
      },
    });
    const error = await readError(content);
    expect(error.code).toBe('WORKBOOK.FORMULA');
    expect(error.message).toContain('T3');
    expect(error.details).toEqual([expect.objectContaining({ row: 3, column: 'T 金額', code: 'WORKBOOK.FORMULA' })]);
  });

  it('rejects a sheet without data rows', async () => {
    expect((await readError(await workbookOf([]))).code).toBe('WORKBOOK.EMPTY');
    const blanks = await workbookOf([{ billingNo: '   ', description: '' }, {}]);
    expect((await readError(blanks)).code).toBe('WORKBOOK.EMPTY');
  });

  it('rejects more rows than maxRows', async () => {
    const error = await readError(await buildOrderTemplate(), { maxRows: 2 });
    expect(error.code).toBe('WORKBOOK.TOO_MANY_ROWS');
  });
});

describe('readOrderWorkbook: large files', () => {
  const many = (count: number): RowSpec[] => Array.from({ length: count }, (_, i) => b2c(`N${i + 1}`));

  it('reads 10,000 rows', async () => {
    const result = await readOrderWorkbook(await workbookOf(many(MAX_ORDER_ROWS)));
    expect(result.rowsRead).toBe(10_000);
    expect(result.rowsImportable).toBe(10_000);
    expect(result.errors).toEqual([]);
    expect(result.orders).toHaveLength(10_000);
    expect(result.orders[9_999]).toMatchObject({ ordinal: 9_999, billingNo: 'N10000', rows: [10_001] });
  });

  it('refuses a workbook that unpacks to more than maxUnzippedBytes, naming the limit', async () => {
    const error = await readError(await workbookOf(many(3_000)), { maxUnzippedBytes: 256 * 1024 });
    expect(error).toMatchObject({ code: 'WORKBOOK.TOO_LARGE', message: expect.stringContaining('256 KB') });
  });

  it('rejects 10,001 rows', async () => {
    const error = await readError(await workbookOf(many(MAX_ORDER_ROWS + 1)));
    expect(error.code).toBe('WORKBOOK.TOO_MANY_ROWS');
    expect(error.message).toContain('10001');
  });
});

describe('readOrderWorkbook: cells', () => {
  it('trims text, reads numeric strings and numbers, restores BAN leading zeros, normalises codes', async () => {
    const content = await workbookOf([
      b2b('  B-1  ', {
        buyerBan: 4595252,
        buyerEmail: { text: 'ap@example.com', hyperlink: 'mailto:ap@example.com' },
        invoiceType: 7,
        taxType: 1,
        print: 'y',
        totalAmount: '1,050',
        description: { richText: [{ text: '顧問' }, { text: '服務 ' }] },
        quantity: ' 10 ',
        unitPrice: '100',
        amount: 1000,
        lineTaxType: 1,
      }),
    ]);
    const result = await readOrderWorkbook(content);
    expect(result.errors).toEqual([]);
    expect(result.orders[0].input).toEqual({
      billingNo: 'B-1',
      invoiceType: '07',
      taxType: '1',
      buyer: { ban: '04595252', name: '範例股份有限公司', email: 'ap@example.com' },
      print: true,
      totalAmount: 1050,
      lines: [{ description: '顧問服務', quantity: 10, unitPrice: 100, amount: 1000, taxType: '1' }],
    });
  });

  it('reads an all-digit BillingNo typed as a number, but not one too long to be exact', async () => {
    const result = await readOrderWorkbook(await workbookOf([b2c('', { billingNo: 20260105001 }), b2c('', { billingNo: 1e20 })]));
    expect(result.orders.map((o) => o.billingNo)).toEqual(['20260105001']);
    expect(result.errors).toEqual([expect.objectContaining({ row: 3, column: 'A 訂單編號', code: 'ORDER.CELL_TYPE' })]);
  });

  it('skips empty rows without counting them and keeps sheet row numbers', async () => {
    const result = await readOrderWorkbook(await workbookOf([b2c('A1'), {}, { remark: '  ' }, b2c('A2')]));
    expect(result.rowsRead).toBe(2);
    expect(result.orders.map((o) => o.rows)).toEqual([[2], [5]]);
  });

  it('reports type problems by row and column', async () => {
    const result = await readOrderWorkbook(
      await workbookOf([
        b2c('A1', { quantity: 'two' }),
        b2c('A2', { taxType: 'X' }),
        b2c('A3', { print: 'maybe', carrierType: null, carrierId: null }),
        b2c('A4', { billingNo: new Date(Date.UTC(2026, 0, 5)) }),
        b2c('A5', { invoiceType: '05' }),
      ]),
    );
    expect(result.errors).toEqual([
      { row: 2, column: 'Q 數量', code: 'ORDER.NOT_A_NUMBER', message: expect.stringContaining('"two"') },
      { row: 3, column: 'G 課稅別', code: 'ORDER.CODE_INVALID', message: expect.stringContaining('1, 2, 3, 9') },
      { row: 4, column: 'M 列印', code: 'ORDER.CODE_INVALID', message: expect.any(String) },
      { row: 5, column: 'A 訂單編號', code: 'ORDER.CELL_TYPE', message: expect.stringContaining('date') },
      { row: 6, column: 'F 發票類別', code: 'ORDER.CODE_INVALID', message: expect.any(String) },
    ]);
    expect(result.rowsImportable).toBe(0);
  });

  it('reports a cell outside the template columns', async () => {
    const content = await workbookOf([b2c('A1')], {
      edit: (sheet) => {
        sheet.getCell('X2').value = 'stray';
      },
    });
    const result = await readOrderWorkbook(content);
    expect(result.errors).toEqual([expect.objectContaining({ row: 2, column: 'X', code: 'ORDER.UNEXPECTED_CELL' })]);
  });
});

describe('readOrderWorkbook: multi-line orders', () => {
  it('groups rows by BillingNo in order of first appearance, lines in row order', async () => {
    const result = await readOrderWorkbook(
      await workbookOf([
        b2c('M1', { description: 'first', totalAmount: 300 }),
        b2c('M2'),
        { billingNo: 'M1', description: 'second', quantity: 1, unitPrice: 100, amount: 100 },
        b2c('M1', { description: 'third' }),
      ]),
    );
    expect(result.errors).toEqual([]);
    expect(result.orders.map((o) => [o.ordinal, o.billingNo, o.rows])).toEqual([
      [0, 'M1', [2, 4, 5]],
      [1, 'M2', [3]],
    ]);
    expect(result.orders[0].input.lines.map((l) => l.description)).toEqual(['first', 'second', 'third']);
    expect(result.orders[0].input.carrier).toEqual({ type: '3J0002', id: '/ABC+123' });
  });

  it('maps line errors to the line row and invoice errors to the row that carries the value', async () => {
    const result = await readOrderWorkbook(
      await workbookOf([
        b2b('M1', { buyerBan: '12345678', totalAmount: null }),
        { billingNo: 'M1', description: 'second', quantity: 3, unitPrice: 10, amount: 31 },
        b2c('OK'),
      ]),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'B 買方統編', field: 'buyer.ban', code: 'INVOICE.BUYER_BAN_INVALID' }),
      expect.objectContaining({ row: 3, column: 'T 金額', field: 'lines[1].amount', code: 'INVOICE.LINE_AMOUNT_MISMATCH' }),
    ]);
    expect(result).toMatchObject({ rowsRead: 3, rowsImportable: 1 });
    expect(result.orders.map((o) => [o.ordinal, o.billingNo])).toEqual([[1, 'OK']]);
  });

  it('reports a conflicting repeated invoice-level value on the row and column that disagrees', async () => {
    const result = await readOrderWorkbook(
      await workbookOf([b2c('M1'), b2c('M1', { carrierId: '/ABC+123', buyerEmail: 'a@b.tw' }), b2c('M1', { carrierId: '/XYZ+999' })]),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ row: 4, column: 'K 載具號碼', code: 'ORDER.CONFLICTING_VALUE', message: expect.stringContaining('row 2') }),
    ]);
    expect(result.orders).toEqual([]);
  });

  it('reports a missing half of a carrier and a missing tax type once', async () => {
    const result = await readOrderWorkbook(
      await workbookOf([b2c('C1', { carrierId: null }), b2c('C2', { taxType: null }), b2c('C3', { description: null })]),
    );
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'K 載具號碼', 'ORDER.REQUIRED'],
      [3, 'G 課稅別', 'ORDER.REQUIRED'],
      [4, 'P 品名', 'ORDER.REQUIRED'],
    ]);
  });

  it('reports a missing BillingNo on its row', async () => {
    const result = await readOrderWorkbook(await workbookOf([b2c('A1'), b2c('', { billingNo: null })]));
    expect(result.errors).toEqual([expect.objectContaining({ row: 3, column: 'A 訂單編號', code: 'ORDER.REQUIRED' })]);
    expect(result).toMatchObject({ rowsRead: 2, rowsImportable: 1 });
  });
});

describe('readOrderWorkbook: 300 rows with 20 bad ones', () => {
  // Each bad row is the only row of its order, except the conflicting duplicate, whose first row is also bad.
  const BAD: [string, RowSpec][] = [
    ['bad BAN checksum', b2b('X01', { buyerBan: '12345679' })],
    ['bad mobile barcode', b2c('X02', { carrierId: '/abc' })],
    ['amount ≠ quantity × unit price', b2c('X03', { amount: 101 })],
    ['missing description', b2c('X04', { description: null })],
    ['tax type 9 without line tax type', b2c('X05', { taxType: '9' })],
    ['donation and print', b2c('X06', { carrierType: null, carrierId: null, npoban: '168001', print: 'Y' })],
    ['duplicate BillingNo, first row with a bad carrier', b2c('X07', { carrierType: 'CQ0001', carrierId: 'AB12' })],
    ['duplicate BillingNo with a conflicting tax type', b2c('X07', { taxType: '3', carrierType: null, carrierId: null })],
    ['text in Quantity', b2c('X08', { quantity: '兩個' })],
    ['unknown tax type', b2c('X09', { taxType: '5' })],
    ['print not Y/N', b2c('X10', { carrierType: null, carrierId: null, print: 'yes' })],
    ['unknown invoice type', b2c('X11', { invoiceType: '05' })],
    ['donation code not digits', b2c('X12', { carrierType: null, carrierId: null, npoban: 'AB' })],
    ['B2B donation', b2b('X13', { print: null, npoban: '168001' })],
    ['zero-rated without customs mark and reason', b2c('X14', { taxType: '2' })],
    ['missing unit price', b2c('X15', { unitPrice: null })],
    ['carrier type without id', b2c('X16', { carrierId: null })],
    ['total does not match the lines', b2b('X17', { totalAmount: 100 })],
    ['missing BillingNo', b2c('', { billingNo: null })],
    ['bad e-mail', b2c('X19', { buyerEmail: 'not-an-email' })],
  ];
  const BAD_INDEXES = [3, 11, 25, 40, 57, 66, 100, 131, 150, 170, 181, 199, 210, 222, 238, 250, 263, 277, 290, 299];

  function build(): { rows: RowSpec[]; goodBillingNos: string[] } {
    const good: RowSpec[] = [];
    const goodBillingNos: string[] = [];
    for (let k = 0; good.length < 280; k++) {
      const no = `G${String(k).padStart(4, '0')}`;
      goodBillingNos.push(no);
      if (k % 10 === 3 && good.length <= 278) {
        // Two lines; invoice-level cells only on the first.
        good.push(b2c(no, { totalAmount: 130 }), { billingNo: no, description: '濾紙', quantity: 3, unitPrice: 10, amount: 30 });
        continue;
      }
      switch (k % 4) {
        case 0:
          good.push(b2c(no));
          break;
        case 1:
          good.push(b2c(no, { carrierType: null, carrierId: null, npoban: '168001' }));
          break;
        case 2:
          good.push(b2b(no, { buyerBan: k % 8 === 2 ? 4595252 : '53212539' }));
          break;
        default:
          good.push(b2c(no, { carrierType: 'CQ0001', carrierId: 'AB12345678901234', print: 'N' }));
      }
    }
    const queue = [...good];
    const bad = [...BAD];
    const rows = Array.from({ length: 300 }, (_, i) => (BAD_INDEXES.includes(i) ? bad.shift()![1] : queue.shift()!));
    return { rows, goodBillingNos };
  }

  it('reports exactly the 20 bad rows and imports the other 280 in order', async () => {
    const { rows, goodBillingNos } = build();
    expect(rows).toHaveLength(300);
    const result = await readOrderWorkbook(await workbookOf(rows));
    expect(result.rowsRead).toBe(300);
    expect(errorRows(result.errors)).toEqual(BAD_INDEXES.map((i) => i + 2));
    expect(result.rowsImportable).toBe(280);
    expect(result.orders.map((o) => o.billingNo)).toEqual(goodBillingNos);
    const ordinals = result.orders.map((o) => o.ordinal);
    expect(ordinals).toEqual([...ordinals].sort((a, b) => a - b));
    expect(result.orders.reduce((n, o) => n + o.rows.length, 0)).toBe(280);
    for (const error of result.errors) {
      expect(error).toEqual(expect.objectContaining({ row: expect.any(Number), code: expect.any(String), message: expect.any(String) }));
      expect(error.column).toMatch(/^[A-V] \S+$/);
    }
  });

  it('names the expected column for each kind of bad row', async () => {
    const { rows } = build();
    const result = await readOrderWorkbook(await workbookOf(rows));
    const columnsAt = (index: number) => result.errors.filter((e) => e.row === index + 2).map((e) => e.column);
    const expected: Record<string, string> = {
      'bad BAN checksum': 'B 買方統編',
      'bad mobile barcode': 'K 載具號碼',
      'amount ≠ quantity × unit price': 'T 金額',
      'missing description': 'P 品名',
      'tax type 9 without line tax type': 'U 明細課稅別',
      'donation and print': 'M 列印',
      'duplicate BillingNo, first row with a bad carrier': 'K 載具號碼',
      'duplicate BillingNo with a conflicting tax type': 'G 課稅別',
      'text in Quantity': 'Q 數量',
      'unknown tax type': 'G 課稅別',
      'print not Y/N': 'M 列印',
      'unknown invoice type': 'F 發票類別',
      'donation code not digits': 'L 捐贈碼',
      'B2B donation': 'L 捐贈碼',
      'zero-rated without customs mark and reason': 'H 通關方式',
      'missing unit price': 'S 單價',
      'carrier type without id': 'K 載具號碼',
      'total does not match the lines': 'N 總計',
      'missing BillingNo': 'A 訂單編號',
      'bad e-mail': 'E 買方Email',
    };
    BAD.forEach(([label], i) => {
      expect({ label, columns: columnsAt(BAD_INDEXES[i]) }).toEqual({ label, columns: [expected[label]] });
    });
  });
});
