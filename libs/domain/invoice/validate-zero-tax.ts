import { ErrorDetail } from '../domain-error';
import { InvoiceInput } from './invoice.types';
import { isKnownTaxType } from './validate-tax-type';
import { errorAdder, isPresent, show } from './validation-helpers';

const ZERO_TAX_REASON = /^7[1-9]$/;

/** Zero-rated sales: a zero-rated (2) invoice, or a mixed (9) one with a zero-rated line. */
export function hasZeroRatedSales(input: InvoiceInput): boolean {
  if (input.taxType === '2') return true;
  if (input.taxType !== '9' || !Array.isArray(input.lines)) return false;
  const lines: unknown[] = input.lines;
  return lines.some((line) => line !== null && typeof line === 'object' && (line as { taxType?: unknown }).taxType === '2');
}

/** The customs clearance mark and reason: required with zero-rated sales, refused without them. */
export function validateZeroTax(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  const zeroTax = input.zeroTax;
  if (hasZeroRatedSales(input)) {
    if (!zeroTax || typeof zeroTax !== 'object') {
      add(
        'zeroTax',
        'ZERO_TAX_REQUIRED',
        'Zero-rated (課稅別 2) sales need 通關方式註記 (customs clearance mark, 1 or 2) and 零稅率原因 (zero tax rate reason, 71–79).',
      );
    } else {
      if (zeroTax.customsClearanceMark !== '1' && zeroTax.customsClearanceMark !== '2') {
        add(
          'zeroTax.customsClearanceMark',
          'CUSTOMS_CLEARANCE_MARK_INVALID',
          '通關方式註記 (customs clearance mark) must be 1 (not via customs) or 2 (via customs), ' +
            `not ${show(zeroTax.customsClearanceMark)}.`,
        );
      }
      if (typeof zeroTax.reason !== 'string' || !ZERO_TAX_REASON.test(zeroTax.reason)) {
        add(
          'zeroTax.reason',
          'ZERO_TAX_REASON_INVALID',
          `零稅率原因 (zero tax rate reason) must be 71 to 79, not ${show(zeroTax.reason)}.`,
        );
      }
    }
  } else if (isPresent(zeroTax) && isKnownTaxType(input)) {
    add(
      'zeroTax',
      'ZERO_TAX_NOT_APPLICABLE',
      'Zero-rate details (通關方式註記, 零稅率原因) are only allowed with zero-rated (課稅別 2) sales.',
    );
  }
  return errors;
}
