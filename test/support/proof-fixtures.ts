import { computeAmounts } from '../../libs/domain/invoice/compute-amounts';
import { InvoiceInput, IssuedInvoice } from '../../libs/domain/invoice/invoice.types';
import { fromTaipei } from '../../libs/domain/taipei-time';

/** Invoices whose proofs the specs and the rendering test check, field by field. */
export function proofInvoice(
  kind: 'b2c' | 'b2b' | 'mixed',
  overrides: { lines?: InvoiceInput['lines']; number?: string; issuedAt?: Date; randomNumber?: string } = {},
): IssuedInvoice {
  const inputs: Record<typeof kind, InvoiceInput> = {
    b2c: {
      billingNo: 'P-B2C',
      taxType: '1',
      buyer: {},
      print: true,
      lines: [
        { description: '珍珠奶茶', quantity: 2, unitPrice: 55, amount: 110 },
        { description: 'Cookie', quantity: 1, unitPrice: 40, amount: 40 },
      ],
    },
    b2b: {
      billingNo: 'P-B2B',
      taxType: '1',
      buyer: { ban: '53212539', name: '買方股份有限公司', address: '台北市中正區重慶南路一段 2 號' },
      lines: [
        { description: '辦公椅', quantity: 3, unitPrice: 2500, amount: 7500, remark: '含組裝' },
        { description: '桌燈', quantity: 2, unitPrice: 1000, amount: 2000 },
      ],
    },
    mixed: {
      billingNo: 'P-MIX',
      taxType: '9',
      buyer: {},
      print: true,
      lines: [
        { description: '便當', quantity: 1, unitPrice: 105, amount: 105, taxType: '1' },
        { description: '鮮奶', quantity: 2, unitPrice: 30, amount: 60, taxType: '3' },
        { description: '出口品', quantity: 1, unitPrice: 200, amount: 200, taxType: '2' },
      ],
    },
  };
  const input = { ...inputs[kind], ...(overrides.lines ? { lines: overrides.lines } : {}) };
  return {
    number: overrides.number ?? 'AB12345678',
    issuedAt: overrides.issuedAt ?? fromTaipei(2026, 12, 7, 14, 30, 5),
    randomNumber: overrides.randomNumber ?? '0123',
    seller: { ban: '12345675', name: '範例股份有限公司', address: '台北市信義區市府路 1 號' },
    input,
    amounts: computeAmounts(input),
  };
}

/** n lines named 品項001…, 1 each at 10 dollars. */
export function numberedLines(n: number): InvoiceInput['lines'] {
  return Array.from({ length: n }, (_, i) => ({
    description: `品項${String(i + 1).padStart(3, '0')}`,
    quantity: 1,
    unitPrice: 10,
    amount: 10,
  }));
}
