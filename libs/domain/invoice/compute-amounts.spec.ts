import { fc, test } from '@fast-check/jest';
import { b2bAmountsFromTaxIncludedTotal, computeAmounts, isB2B, lineTaxType } from './compute-amounts';
import { InvoiceInput, InvoiceLineInput, LineTaxType } from './invoice.types';

const line = (amount: number, taxType?: LineTaxType): InvoiceLineInput => ({
  description: 'item',
  quantity: 1,
  unitPrice: amount,
  amount,
  ...(taxType ? { taxType } : {}),
});

const b2c = (taxType: InvoiceInput['taxType'], lines: InvoiceLineInput[]): InvoiceInput => ({
  billingNo: 'B2C-1',
  taxType,
  buyer: {},
  print: true,
  lines,
});
const b2b = (taxType: InvoiceInput['taxType'], lines: InvoiceLineInput[]): InvoiceInput => ({
  billingNo: 'B2B-1',
  taxType,
  buyer: { ban: '12345675', name: 'ACME 股份有限公司' },
  lines,
});

describe('isB2B', () => {
  test.each([
    [{ ban: '12345675' }, true],
    [{ ban: '12345678' }, true],
    [{}, false],
    [{ ban: '' }, false],
    [{ ban: '   ' }, false],
  ])('%j → %p', (buyer, expected) => {
    expect(isB2B({ buyer })).toBe(expected);
  });
});

describe('lineTaxType', () => {
  it("uses the line's own type, else the invoice's", () => {
    expect(lineTaxType({ taxType: '1' }, line(1))).toBe('1');
    expect(lineTaxType({ taxType: '9' }, line(1, '3'))).toBe('3');
    expect(lineTaxType({ taxType: '3' }, line(1))).toBe('3');
  });
});

describe('computeAmounts, B2C (tax included)', () => {
  it('taxable: sales is the rounded sum, no separate tax', () => {
    expect(computeAmounts(b2c('1', [line(100), line(50.5)]))).toEqual({
      salesAmount: 151,
      freeTaxSalesAmount: 0,
      zeroTaxSalesAmount: 0,
      taxType: '1',
      taxRate: 0.05,
      taxAmount: 0,
      totalAmount: 151,
    });
  });

  it('zero-rated goes to ZeroTaxSalesAmount with rate 0', () => {
    expect(computeAmounts(b2c('2', [line(300)]))).toMatchObject({
      salesAmount: 0,
      zeroTaxSalesAmount: 300,
      freeTaxSalesAmount: 0,
      taxRate: 0,
      taxAmount: 0,
      totalAmount: 300,
    });
  });

  it('exempt goes to FreeTaxSalesAmount with rate 0', () => {
    expect(computeAmounts(b2c('3', [line(40), line(2)]))).toMatchObject({
      salesAmount: 0,
      freeTaxSalesAmount: 42,
      zeroTaxSalesAmount: 0,
      taxRate: 0,
      totalAmount: 42,
    });
  });

  it('mixed splits by line tax type; rate 0.05 only with a taxable line', () => {
    expect(computeAmounts(b2c('9', [line(100, '1'), line(200.4, '2'), line(300.5, '3')]))).toEqual({
      salesAmount: 100,
      zeroTaxSalesAmount: 200,
      freeTaxSalesAmount: 301,
      taxType: '9',
      taxRate: 0.05,
      taxAmount: 0,
      totalAmount: 601,
    });
    expect(computeAmounts(b2c('9', [line(200, '2'), line(300, '3')])).taxRate).toBe(0);
  });

  it('sums decimals exactly (0.1 + 0.2 + 2.2 = 2.5 → 3)', () => {
    expect(computeAmounts(b2c('1', [line(0.1), line(0.2), line(2.2)])).salesAmount).toBe(3);
  });
});

describe('computeAmounts, B2B (untaxed lines, tax separate)', () => {
  test.each([
    [[1000], 1000, 50, 1050],
    [[1050], 1050, 53, 1103], // 52.5 rounds up
    [[10], 10, 1, 11], // 0.5 rounds up
    [[9], 9, 0, 9], // 0.45 rounds down
    [[333.33, 666.67], 1000, 50, 1050],
    [[0], 0, 0, 0],
  ])('lines %j → sales %p, tax %p, total %p', (amounts, sales, tax, total) => {
    expect(computeAmounts(b2b('1', amounts.map((a) => line(a))))).toEqual({
      salesAmount: sales,
      freeTaxSalesAmount: 0,
      zeroTaxSalesAmount: 0,
      taxType: '1',
      taxRate: 0.05,
      taxAmount: tax,
      totalAmount: total,
    });
  });

  it('exempt and zero-rated carry no tax', () => {
    expect(computeAmounts(b2b('3', [line(500)]))).toMatchObject({ freeTaxSalesAmount: 500, taxRate: 0, taxAmount: 0, totalAmount: 500 });
    expect(computeAmounts(b2b('2', [line(500)]))).toMatchObject({ zeroTaxSalesAmount: 500, taxRate: 0, taxAmount: 0, totalAmount: 500 });
  });

  const cents = fc.integer({ min: 0, max: 10 ** 10 }).map((c) => c / 100);

  test.prop([fc.array(cents, { minLength: 1, maxLength: 30 })])('total = sales + tax, tax = round(5% of sales)', (amounts) => {
    const result = computeAmounts(b2b('1', amounts.map((a) => line(a))));
    const centsTotal = amounts.reduce((s, a) => s + Math.round(a * 100), 0);
    expect(result.salesAmount).toBe(Math.floor((centsTotal + 50) / 100));
    // Independent integer form of round half up of sales × 5 / 100.
    expect(result.taxAmount).toBe(Math.floor((result.salesAmount + 10) / 20));
    expect(result.totalAmount).toBe(result.salesAmount + result.taxAmount);
  });
});

describe('b2bAmountsFromTaxIncludedTotal', () => {
  test.each([
    [1050, 1000, 50],
    [105, 100, 5],
    [100, 95, 5],
    [1, 1, 0],
    [0, 0, 0],
  ])('%p → sales %p, tax %p', (total, sales, tax) => {
    expect(b2bAmountsFromTaxIncludedTotal(total)).toEqual({ sales, tax });
  });

  test.prop([fc.integer({ min: 0, max: 10 ** 12 })])('sales + tax = total and sales = round(total / 1.05)', (total) => {
    const { sales, tax } = b2bAmountsFromTaxIncludedTotal(total);
    expect(sales + tax).toBe(total);
    expect(tax).toBeGreaterThanOrEqual(0);
    // round half up of 20·total/21, in integers.
    expect(sales).toBe(Math.floor((40 * total + 21) / 42));
  });
});
