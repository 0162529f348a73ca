import { InvoiceAmounts, InvoiceInput, InvoiceLineInput, LineTaxType } from './invoice.types';
import { roundHalfUp, roundedSum } from './money';

export const TAX_RATE = 0.05;

/** A buyer BAN makes the invoice B2B (B-class); without one it is B2C (C-class). Blank text counts as absent. */
export function isB2B(input: Pick<InvoiceInput, 'buyer'>): boolean {
  const ban = input.buyer?.ban;
  return ban !== undefined && ban !== null && String(ban).trim() !== '';
}

/**
 * The tax type a line is taxed under: its own, else the invoice's. A mixed (9) invoice requires one per line;
 * validation rejects a line without it, and here such a line is treated as taxable so the function stays total.
 */
export function lineTaxType(input: Pick<InvoiceInput, 'taxType'>, line: InvoiceLineInput): LineTaxType {
  if (line.taxType) return line.taxType;
  return input.taxType === '9' ? '1' : input.taxType;
}

/**
 * MIG Amount block of an invoice. B2C line amounts include tax and TaxAmount is 0; B2B line amounts are untaxed and
 * tax = round(sales × 5%). Expects validated input (finite amounts); throws RangeError otherwise.
 */
export function computeAmounts(input: InvoiceInput): InvoiceAmounts {
  const byType: Record<LineTaxType, number[]> = { '1': [], '2': [], '3': [] };
  for (const line of input.lines) byType[lineTaxType(input, line)].push(line.amount);
  const salesAmount = roundedSum(byType['1']);
  const zeroTaxSalesAmount = roundedSum(byType['2']);
  const freeTaxSalesAmount = roundedSum(byType['3']);
  const hasTaxable = byType['1'].length > 0;
  // Integer sales × 5 / 100 is exact enough for roundHalfUp's 7-place reading, so x.5 always rounds up.
  const taxAmount = isB2B(input) ? roundHalfUp((salesAmount * 5) / 100) : 0;
  return {
    salesAmount,
    freeTaxSalesAmount,
    zeroTaxSalesAmount,
    taxType: input.taxType,
    taxRate: hasTaxable ? TAX_RATE : 0,
    taxAmount,
    totalAmount: salesAmount + freeTaxSalesAmount + zeroTaxSalesAmount + taxAmount,
  };
}

/** Splits a tax-included B2B total (whole dollars): sales = round(total / 1.05), tax = total − sales. */
export function b2bAmountsFromTaxIncludedTotal(total: number): { sales: number; tax: number } {
  const sales = roundHalfUp((total * 100) / 105);
  return { sales, tax: total - sales };
}
