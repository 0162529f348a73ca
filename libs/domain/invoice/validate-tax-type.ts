import { ErrorDetail } from '../domain-error';
import { invoiceTypeOf } from '../track-file';
import { isB2B } from './compute-amounts';
import { InvoiceInput } from './invoice.types';
import { buyerOf, errorAdder, show } from './validation-helpers';

const TAX_TYPES: readonly string[] = ['1', '2', '3', '9'];
const TAX_TYPES_BY_INVOICE_TYPE: Record<string, readonly string[]> = {
  '07': ['1', '2', '3', '9'],
  // 08 (special tax) allows 3 and 4; 4 (special tax rates) is not supported by this system.
  '08': ['3'],
};

/** Whether the invoice's tax type is one of 1, 2, 3 and 9; the zero-rate and total checks depend on it. */
export const isKnownTaxType = (input: InvoiceInput): boolean => TAX_TYPES.includes(input.taxType);

/** The invoice type (07 when absent) and the tax type it allows; mixed (9) is B2C only. */
export function validateTaxType(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  const invoiceType = invoiceTypeOf(input);
  const allowedTaxTypes = Object.hasOwn(TAX_TYPES_BY_INVOICE_TYPE, invoiceType)
    ? TAX_TYPES_BY_INVOICE_TYPE[invoiceType]
    : undefined;
  if (!allowedTaxTypes) {
    add('invoiceType', 'INVOICE_TYPE_INVALID', `發票類別 (invoice type) ${show(input.invoiceType)} must be 07 or 08.`);
  }
  if (!isKnownTaxType(input)) {
    add(
      'taxType',
      'TAX_TYPE_INVALID',
      `課稅別 (tax type) ${show(input.taxType)} must be 1 (taxable), 2 (zero-rated), 3 (exempt) or 9 (mixed).`,
    );
  } else if (allowedTaxTypes && !allowedTaxTypes.includes(input.taxType)) {
    add(
      'taxType',
      'TAX_TYPE_NOT_ALLOWED',
      `課稅別 (tax type) ${input.taxType} is not allowed for 發票類別 (invoice type) ${invoiceType}; ` +
        `allowed: ${allowedTaxTypes.join(', ')}.`,
    );
  }
  if (input.taxType === '9' && isB2B({ buyer: buyerOf(input) })) {
    add(
      'taxType',
      'MIXED_TAX_B2B',
      '課稅別 9 (mixed) is only allowed for consumer (B2C) invoices, not with a 買方統編 (buyer BAN).',
    );
  }
  return errors;
}
