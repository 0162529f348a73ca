import { InvoiceInput } from './invoice.types';
import { validateTotals } from './validate-totals';

const b2b = (totalAmount: number): InvoiceInput => ({
  billingNo: 'T1',
  taxType: '1',
  buyer: { ban: '12345675', name: '測試股份有限公司' },
  lines: [{ description: '顧問服務', quantity: 1, unitPrice: 100, amount: 100 }],
  totalAmount,
});

describe('validateTotals', () => {
  it('compares a B2B total with the lines plus 5% tax', () => {
    expect(validateTotals(b2b(105), true)).toEqual([]);
    expect(validateTotals(b2b(100), true)).toEqual([
      {
        field: 'totalAmount',
        code: 'INVOICE.TOTAL_AMOUNT_MISMATCH',
        message: '總計 (total amount) is 100 but the lines add up to 105 including 5% tax.',
      },
    ]);
  });

  it('does not compare when the lines cannot be totalled, but still refuses a total that is not a number', () => {
    expect(validateTotals(b2b(100), false)).toEqual([]);
    expect(validateTotals(b2b(-1), false).map((e) => e.code)).toEqual(['INVOICE.TOTAL_AMOUNT_INVALID']);
  });
});
