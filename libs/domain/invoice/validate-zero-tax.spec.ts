import { InvoiceInput, InvoiceLineInput } from './invoice.types';
import { hasZeroRatedSales, validateZeroTax } from './validate-zero-tax';

const tea: InvoiceLineInput = { description: '綠茶', quantity: 2, unitPrice: 50, amount: 100 };
const invoice = (patch: Partial<InvoiceInput>): InvoiceInput => ({ billingNo: 'Z1', taxType: '1', buyer: {}, lines: [tea], ...patch });

describe('hasZeroRatedSales', () => {
  it('is true for a zero-rated invoice and for a mixed one with a zero-rated line', () => {
    expect(hasZeroRatedSales(invoice({ taxType: '2' }))).toBe(true);
    expect(hasZeroRatedSales(invoice({ taxType: '9', lines: [{ ...tea, taxType: '1' }, { ...tea, taxType: '2' }] }))).toBe(true);
  });

  it('is false otherwise, a zero-rated line on a non-mixed invoice and malformed lines included', () => {
    expect(hasZeroRatedSales(invoice({ taxType: '9', lines: [{ ...tea, taxType: '3' }] }))).toBe(false);
    expect(hasZeroRatedSales(invoice({ taxType: '1', lines: [{ ...tea, taxType: '2' }] }))).toBe(false);
    expect(hasZeroRatedSales(invoice({ taxType: '9', lines: [null, 2] as never }))).toBe(false);
    expect(hasZeroRatedSales(invoice({ taxType: '9', lines: 'x' as never }))).toBe(false);
  });
});

describe('validateZeroTax', () => {
  it('does not judge zero-rate details when the tax type itself is unknown', () => {
    const zeroTax = { customsClearanceMark: '1' as const, reason: '71' };
    expect(validateZeroTax(invoice({ taxType: 'x' as never, zeroTax }))).toEqual([]);
    expect(validateZeroTax(invoice({ zeroTax })).map((e) => e.code)).toEqual(['INVOICE.ZERO_TAX_NOT_APPLICABLE']);
  });
});
