import { parsePeriod } from '../period';
import { fromTaipei } from '../taipei-time';
import { FilingInvoice, PeriodFiling } from './filing-input';
import { summarizeSales } from './sales-summary';

const JAN = fromTaipei(2026, 1, 10, 9);

const invoice = (number: string, over: Partial<FilingInvoice>): FilingInvoice => ({
  number, invoiceType: '07', issuedAt: JAN, buyerBan: null, taxType: '1',
  salesAmount: 0, zeroTaxSalesAmount: 0, freeTaxSalesAmount: 0, taxAmount: 0, voided: false, customsClearanceMark: null, ...over,
});

const filing = (over: Partial<PeriodFiling>): PeriodFiling => ({
  seller: { ban: '12345675', taxRegistrationNumber: '123456789' }, period: parsePeriod('11502'), invoices: [], allowances: [], blankRanges: [], ...over,
});

describe('summarizeSales', () => {
  it('the 401 sales side per invoice type: taxable, zero-rated by customs, exempt, allowances, counts', () => {
    const summary = summarizeSales(filing({
      invoices: [
        invoice('AB00000000', { buyerBan: '24549210', salesAmount: 1000, taxAmount: 50 }),
        invoice('AB00000001', { salesAmount: 1050 }),
        invoice('AB00000002', { salesAmount: 2101 }),
        invoice('AB00000003', { buyerBan: '24549210', taxType: '2', zeroTaxSalesAmount: 88000, customsClearanceMark: '2' }),
        invoice('AB00000004', { taxType: '2', zeroTaxSalesAmount: 700, customsClearanceMark: '1' }),
        invoice('AB00000005', { taxType: '9', salesAmount: 525, freeTaxSalesAmount: 300 }),
        invoice('AB00000006', { buyerBan: '24549210', salesAmount: 2000, taxAmount: 100, voided: true }),
        invoice('XY00000000', { invoiceType: '08', taxType: '3', freeTaxSalesAmount: 500 }),
      ],
      allowances: [
        { allowanceNumber: 'A1', allowanceDate: JAN, invoiceNumber: 'AB00000000', invoiceType: '07', buyerBan: '24549210', taxableAmount: 400, zeroTaxAmount: 0, freeTaxAmount: 0, taxAmount: 20, customsClearanceMark: null },
        { allowanceNumber: 'A2', allowanceDate: JAN, invoiceNumber: 'AB00000003', invoiceType: '07', buyerBan: '24549210', taxableAmount: 0, zeroTaxAmount: 8000, freeTaxAmount: 0, taxAmount: 0, customsClearanceMark: '2' },
        { allowanceNumber: 'A3', allowanceDate: JAN, invoiceNumber: 'AB00000005', invoiceType: '07', buyerBan: null, taxableAmount: 50, zeroTaxAmount: 0, freeTaxAmount: 30, taxAmount: 2, customsClearanceMark: null },
      ],
      blankRanges: [
        { invoiceType: '07', track: 'AB', begin: 7, end: 49 },
        { invoiceType: '08', track: 'XY', begin: 1, end: 49 },
      ],
    }));
    expect(summary).toEqual({
      sellerBan: '12345675',
      period: '11502',
      byInvoiceType: [
        {
          invoiceType: '07',
          // Consumers paid 1050 + 2101 + 525 = 3676 tax-included: 3501 untaxed (3676 / 1.05 = 3500.95) and 175 tax.
          taxable: { sales: 4501, tax: 225, toBusiness: { sales: 1000, tax: 50 }, toConsumers: { taxIncluded: 3676, sales: 3501, tax: 175 } },
          zeroRated: { throughCustoms: 88000, notThroughCustoms: 700 },
          exempt: 300,
          returnsAndAllowances: { taxable: { sales: 450, tax: 22 }, zeroRated: 8000, exempt: 30 },
          counts: { issued: 6, voided: 1, blank: 43, allowances: 3 },
        },
        {
          invoiceType: '08',
          taxable: { sales: 0, tax: 0, toBusiness: { sales: 0, tax: 0 }, toConsumers: { taxIncluded: 0, sales: 0, tax: 0 } },
          zeroRated: { throughCustoms: 0, notThroughCustoms: 0 },
          exempt: 500,
          returnsAndAllowances: { taxable: { sales: 0, tax: 0 }, zeroRated: 0, exempt: 0 },
          counts: { issued: 1, voided: 0, blank: 49, allowances: 0 },
        },
      ],
    });
  });

  it('splits the consumers\' tax-included total once, over the period, not invoice by invoice', () => {
    // Each 10 alone would split 10 = 10 + 0 (10 / 1.05 = 9.52 → 10); ten of them, 100 = 95 + 5.
    const invoices = Array.from({ length: 10 }, (_, i) => invoice(`AB0000000${i}`, { salesAmount: 10 }));
    expect(summarizeSales(filing({ invoices })).byInvoiceType[0].taxable).toEqual({
      sales: 95, tax: 5, toBusiness: { sales: 0, tax: 0 }, toConsumers: { taxIncluded: 100, sales: 95, tax: 5 },
    });
  });

  it('a period with nothing has no invoice types', () => {
    expect(summarizeSales(filing({})).byInvoiceType).toEqual([]);
  });
});
