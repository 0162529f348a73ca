import { InvoiceInput, InvoiceLineInput } from './invoice.types';
import { validateLines } from './validate-lines';

const tea: InvoiceLineInput = { description: '綠茶', quantity: 2, unitPrice: 50, amount: 100 };
const withLines = (taxType: InvoiceInput['taxType'], lines: unknown[]): InvoiceInput =>
  ({ billingNo: 'L1', taxType, buyer: {}, lines }) as InvoiceInput;

describe('validateLines', () => {
  it('lets the lines be totalled when every amount and tax type can be read', () => {
    expect(validateLines(withLines('1', [tea, { ...tea, taxType: '1' }]))).toEqual({ errors: [], amountsUsable: true });
    expect(validateLines(withLines('9', [{ ...tea, taxType: '2' }])).amountsUsable).toBe(true);
  });

  it('still totals lines whose only problem is not in the amount or tax type', () => {
    const result = validateLines(withLines('1', [{ ...tea, description: '', unit: '1234567', amount: 101 }]));
    expect(result.errors.map((e) => e.code)).toEqual([
      'INVOICE.LINE_DESCRIPTION_REQUIRED',
      'INVOICE.LINE_AMOUNT_MISMATCH',
      'INVOICE.LINE_UNIT_TOO_LONG',
    ]);
    expect(result.amountsUsable).toBe(true);
  });

  test.each<[string, InvoiceInput]>([
    ['no lines', withLines('1', [])],
    ['an empty line', withLines('1', [tea, null])],
    ['an unreadable amount', withLines('1', [{ ...tea, amount: Number.NaN }])],
    ['a mixed line without tax type', withLines('9', [tea])],
    ['a mixed line with tax type 9', withLines('9', [{ ...tea, taxType: '9' }])],
    ['a line tax type other than the invoice', withLines('1', [{ ...tea, taxType: '3' }])],
  ])('does not total the lines with %s', (_name, input) => {
    expect(validateLines(input).amountsUsable).toBe(false);
  });
});
