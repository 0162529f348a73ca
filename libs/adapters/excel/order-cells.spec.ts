import ExcelJS from 'exceljs';
import { ORDER_COLUMNS, OrderColumnKey } from './order-columns';
import { formulaError, parseCell, scalarOf } from './order-cells';

const column = (key: OrderColumnKey) => ORDER_COLUMNS.find((c) => c.key === key)!;

describe('scalarOf', () => {
  it('trims text and treats blank text as no value', () => {
    expect(scalarOf('  B-1 ')).toBe('B-1');
    expect(scalarOf('   ')).toBeUndefined();
    expect(scalarOf(null)).toBeUndefined();
  });

  it('reads rich text, hyperlinks, Excel errors and the cached result of a formula', () => {
    expect(scalarOf({ richText: [{ text: '顧問' }, { text: '服務 ' }] })).toBe('顧問服務');
    expect(scalarOf({ text: 'ap@example.com', hyperlink: 'mailto:ap@example.com' })).toBe('ap@example.com');
    expect(scalarOf({ error: '#N/A' })).toEqual({ error: '#N/A' });
    expect(scalarOf({ formula: 'Q2*S2', result: 100 })).toBe(100);
  });
});

describe('parseCell', () => {
  it('reads numbers and numeric text with thousands separators', () => {
    expect(parseCell(column('amount'), 1000)).toEqual({ ok: true, value: 1000 });
    expect(parseCell(column('totalAmount'), '1,050')).toEqual({ ok: true, value: 1050 });
    expect(parseCell(column('quantity'), 'two')).toEqual({
      ok: false,
      code: 'ORDER.NOT_A_NUMBER',
      message: '數量 (Quantity): "two" is not a number',
    });
  });

  it('restores the leading zeros of a BAN typed as a number', () => {
    expect(parseCell(column('buyerBan'), 4595252)).toEqual({ ok: true, value: '04595252' });
    expect(parseCell(column('buyerBan'), 123456789)).toMatchObject({ ok: false, code: 'ORDER.CELL_TYPE' });
  });

  it('reads a number in a text column as its digits unless it is too long to be exact', () => {
    expect(parseCell(column('billingNo'), 20260105001)).toEqual({ ok: true, value: '20260105001' });
    expect(parseCell(column('billingNo'), 1e20)).toMatchObject({ ok: false, code: 'ORDER.CELL_TYPE' });
  });

  it('refuses dates and Excel errors', () => {
    expect(parseCell(column('billingNo'), new Date(Date.UTC(2026, 0, 5)))).toEqual({
      ok: false,
      code: 'ORDER.CELL_TYPE',
      message: '訂單編號 (BillingNo): expected text (format the column as text), found a date (2026-01-05)',
    });
    expect(parseCell(column('amount'), { error: '#DIV/0!' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('expected a number, found an Excel error (#DIV/0!)'),
    });
  });

  it('normalises codes and Y/N, refusing anything else', () => {
    expect(parseCell(column('invoiceType'), 7)).toEqual({ ok: true, value: '07' });
    expect(parseCell(column('carrierType'), '3j0002')).toEqual({ ok: true, value: '3J0002' });
    expect(parseCell(column('print'), 'y')).toEqual({ ok: true, value: true });
    expect(parseCell(column('print'), false)).toEqual({ ok: true, value: false });
    expect(parseCell(column('taxType'), 'X')).toEqual({
      ok: false,
      code: 'ORDER.CODE_INVALID',
      message: '課稅別 (TaxType): "X" is not one of 1, 2, 3, 9',
    });
    expect(parseCell(column('lineTaxType'), true)).toMatchObject({ ok: false, code: 'ORDER.CODE_INVALID' });
  });
});

describe('formulaError', () => {
  it('names the cell of a formula and ignores plain values', () => {
    const sheet = new ExcelJS.Workbook().addWorksheet('Orders');
    sheet.getCell('T3').value = { formula: 'Q3*S3', result: 100 };
    sheet.getCell('T4').value = 100;
    expect(formulaError(sheet.getCell('T3'), 3, 20)).toEqual({
      row: 3,
      column: 'T 金額',
      code: 'WORKBOOK.FORMULA',
      message: 'cell T3 contains a formula (=Q3*S3); paste values only',
    });
    expect(formulaError(sheet.getCell('T4'), 4, 20)).toBeUndefined();
  });
});
