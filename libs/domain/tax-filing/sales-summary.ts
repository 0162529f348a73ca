import { InvoiceTypeCode } from '../blank/compute-blank-ranges';
import { b2bAmountsFromTaxIncludedTotal } from '../invoice/compute-amounts';
import { PeriodFiling } from './filing-input';

export interface TaxedFigures {
  sales: number;
  tax: number;
}

/** The 401's sales side for one invoice type (07 general tax, 08 special tax); whole dollars. */
export interface InvoiceTypeSalesSummary {
  invoiceType: InvoiceTypeCode;
  taxable: {
    /** Untaxed sales and tax: business buyers' as issued, plus consumers' split out of their tax-included total. */
    sales: number;
    tax: number;
    toBusiness: TaxedFigures;
    /** B2C sales are tax-included; the 401 takes them as sales = round(total / 1.05), tax = total − sales. */
    toConsumers: { taxIncluded: number } & TaxedFigures;
  };
  zeroRated: { throughCustoms: number; notThroughCustoms: number };
  exempt: number;
  /** Allowances dated in the period (untaxed, per tax class) and their tax. */
  returnsAndAllowances: { taxable: TaxedFigures; zeroRated: number; exempt: number };
  counts: {
    /** Invoices issued and not voided. */
    issued: number;
    voided: number;
    /** Numbers in blank ranges. */
    blank: number;
    allowances: number;
  };
}

export interface SalesSummary {
  sellerBan: string;
  period: string;
  /** One entry per invoice type the period has invoices, allowances or blank numbers of, 07 first. */
  byInvoiceType: InvoiceTypeSalesSummary[];
}

export function emptyInvoiceTypeSummary(invoiceType: InvoiceTypeCode): InvoiceTypeSalesSummary {
  return {
    invoiceType,
    taxable: { sales: 0, tax: 0, toBusiness: { sales: 0, tax: 0 }, toConsumers: { taxIncluded: 0, sales: 0, tax: 0 } },
    zeroRated: { throughCustoms: 0, notThroughCustoms: 0 },
    exempt: 0,
    returnsAndAllowances: { taxable: { sales: 0, tax: 0 }, zeroRated: 0, exempt: 0 },
    counts: { issued: 0, voided: 0, blank: 0, allowances: 0 },
  };
}

/**
 * The period's sales figures, computed from the ledger itself (not from the media file), so that the completeness
 * check can hold the two against each other.
 */
export function summarizeSales(filing: PeriodFiling): SalesSummary {
  const byType = new Map<InvoiceTypeCode, InvoiceTypeSalesSummary>();
  const of = (type: InvoiceTypeCode) => {
    let summary = byType.get(type);
    if (!summary) byType.set(type, (summary = emptyInvoiceTypeSummary(type)));
    return summary;
  };
  for (const invoice of filing.invoices) {
    const s = of(invoice.invoiceType);
    if (invoice.voided) {
      s.counts.voided++;
      continue;
    }
    s.counts.issued++;
    if (invoice.buyerBan === null) {
      s.taxable.toConsumers.taxIncluded += invoice.salesAmount + invoice.taxAmount;
    } else {
      s.taxable.toBusiness.sales += invoice.salesAmount;
      s.taxable.toBusiness.tax += invoice.taxAmount;
    }
    if (invoice.customsClearanceMark === '2') s.zeroRated.throughCustoms += invoice.zeroTaxSalesAmount;
    else s.zeroRated.notThroughCustoms += invoice.zeroTaxSalesAmount;
    s.exempt += invoice.freeTaxSalesAmount;
  }
  for (const allowance of filing.allowances) {
    const s = of(allowance.invoiceType);
    s.counts.allowances++;
    s.returnsAndAllowances.taxable.sales += allowance.taxableAmount;
    s.returnsAndAllowances.taxable.tax += allowance.taxAmount;
    s.returnsAndAllowances.zeroRated += allowance.zeroTaxAmount;
    s.returnsAndAllowances.exempt += allowance.freeTaxAmount;
  }
  for (const range of filing.blankRanges) of(range.invoiceType).counts.blank += range.end - range.begin + 1;
  for (const s of byType.values()) {
    const consumers = b2bAmountsFromTaxIncludedTotal(s.taxable.toConsumers.taxIncluded);
    s.taxable.toConsumers.sales = consumers.sales;
    s.taxable.toConsumers.tax = consumers.tax;
    s.taxable.sales = s.taxable.toBusiness.sales + consumers.sales;
    s.taxable.tax = s.taxable.toBusiness.tax + consumers.tax;
  }
  return {
    sellerBan: filing.seller.ban,
    period: filing.period.code,
    byInvoiceType: [...byType.values()].sort((a, b) => a.invoiceType.localeCompare(b.invoiceType)),
  };
}
