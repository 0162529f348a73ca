import ExcelJS from 'exceljs';
import {
  MAX_ORDER_ROWS,
  ORDER_COLUMNS,
  ORDER_INSTRUCTIONS_SHEET_NAME,
  ORDER_SHEET_NAME,
  OrderColumnKey,
  columnLetter,
  orderColumnHeader,
} from './order-columns';
import { readOrderWorkbook } from './order-sheet.reader';
import { WorksheetWithValidations, buildOrderTemplate } from './order-template.writer';

const HEADER = ORDER_COLUMNS.map(orderColumnHeader);

async function loadSheets(content: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  return workbook;
}

describe('buildOrderTemplate', () => {
  let template: Buffer;
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    template = await buildOrderTemplate();
    workbook = await loadSheets(template);
  });

  it('has a bold, frozen header row', () => {
    const sheet = workbook.getWorksheet(ORDER_SHEET_NAME)!;
    const header = sheet.getRow(1);
    expect(HEADER.map((_, i) => header.getCell(i + 1).value)).toEqual(HEADER);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(10);
  });

  it('has a filled example: a 2-line B2C order with a mobile barcode and a 1-line B2B order', () => {
    const sheet = workbook.getWorksheet(ORDER_SHEET_NAME)!;
    const cell = (row: number, key: OrderColumnKey) => sheet.getRow(row).getCell(ORDER_COLUMNS.findIndex((c) => c.key === key) + 1).value;
    expect([2, 3, 4].map((row) => cell(row, 'billingNo'))).toEqual(['ORD-0001', 'ORD-0001', 'ORD-0002']);
    expect(cell(2, 'carrierType')).toBe('3J0002');
    expect(cell(4, 'buyerBan')).toBe('53212539');
    expect(cell(4, 'buyerName')).toEqual(expect.any(String));
  });

  it('puts drop-down lists on every coded column for rows 2..10001', () => {
    const sheet = workbook.getWorksheet(ORDER_SHEET_NAME)! as WorksheetWithValidations;
    const coded = ORDER_COLUMNS.map((column, i) => ({ column, letter: columnLetter(i) })).filter(({ column }) => 'codes' in column);
    expect(coded.map(({ column }) => column.key)).toEqual([
      'invoiceType',
      'taxType',
      'customsClearanceMark',
      'zeroTaxRateReason',
      'carrierType',
      'print',
      'lineTaxType',
    ]);
    for (const { column, letter } of coded) {
      const codes = (column as { codes: readonly string[] }).codes;
      for (const row of [2, 5000, MAX_ORDER_ROWS + 1]) {
        expect(sheet.getCell(`${letter}${row}`).dataValidation).toMatchObject({
          type: 'list',
          formulae: [`"${codes.join(',')}"`],
        });
      }
      expect(sheet.dataValidations.model[`${letter}${MAX_ORDER_ROWS + 2}`]).toBeUndefined();
    }
    expect(sheet.dataValidations.model['A2']).toBeUndefined();
    expect(sheet.dataValidations.model['F1']).toBeUndefined();
  });

  it('has an instructions sheet explaining every column and the rules', () => {
    const sheet = workbook.getWorksheet(ORDER_INSTRUCTIONS_SHEET_NAME)!;
    const text: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => text.push(String(cell.value))));
    const all = text.join('\n');
    for (const header of HEADER) expect(all).toContain(header);
    for (const phrase of ['10,000', '含稅', 'tax included', 'untaxed', '捐贈', '明細課稅別', 'Quantity × UnitPrice', '必填 Yes']) {
      expect(all).toContain(phrase);
    }
  });

  it('round-trips: reading the template gives its 2 orders from 3 rows without errors', async () => {
    const result = await readOrderWorkbook(template);
    expect(result).toMatchObject({ rowsRead: 3, rowsImportable: 3, errors: [] });
    expect(result.orders.map((o) => [o.ordinal, o.billingNo, o.rows])).toEqual([
      [0, 'ORD-0001', [2, 3]],
      [1, 'ORD-0002', [4]],
    ]);
    expect(result.orders[0].input).toEqual({
      billingNo: 'ORD-0001',
      invoiceType: '07',
      taxType: '1',
      buyer: { email: 'buyer@example.com' },
      carrier: { type: '3J0002', id: '/ABC+123' },
      print: false,
      totalAmount: 1050,
      mainRemark: expect.any(String),
      lines: [
        { description: '咖啡豆 Coffee beans', quantity: 2, unit: '包', unitPrice: 350, amount: 700 },
        { description: '濾紙 Filter paper', quantity: 5, unit: '盒', unitPrice: 70, amount: 350 },
      ],
    });
    expect(result.orders[1].input).toMatchObject({
      billingNo: 'ORD-0002',
      buyer: { ban: '53212539', name: expect.any(String) },
      print: true,
      totalAmount: 10500,
      lines: [{ quantity: 1, unitPrice: 10000, amount: 10000 }],
    });
  });
});
