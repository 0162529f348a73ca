import { ErrorDetail } from '../domain-error';
import { computeAmounts, isB2B } from './compute-amounts';
import { InvoiceInput } from './invoice.types';
import { isKnownTaxType } from './validate-tax-type';
import { buyerOf, errorAdder, isFiniteNumber, show } from './validation-helpers';

/**
 * The total, when given: a number of 0 or more, and equal to the lines' (B2B: with 5% tax). It is compared only
 * when every line amount and tax type could be read (`amountsUsable`, from the lines' validation).
 */
export function validateTotals(input: InvoiceInput, amountsUsable: boolean): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  if (input.totalAmount === undefined || input.totalAmount === null) return errors;
  if (!isFiniteNumber(input.totalAmount) || input.totalAmount < 0) {
    add(
      'totalAmount',
      'TOTAL_AMOUNT_INVALID',
      `總計 (total amount) must be a number of 0 or more, not ${show(input.totalAmount)}.`,
    );
  } else if (amountsUsable && isKnownTaxType(input)) {
    const computed = computeAmounts(input).totalAmount;
    if (Math.abs(computed - input.totalAmount) > 1e-9) {
      const b2b = isB2B({ buyer: buyerOf(input) });
      add(
        'totalAmount',
        'TOTAL_AMOUNT_MISMATCH',
        `總計 (total amount) is ${input.totalAmount} but the lines add up to ${computed}${b2b ? ' including 5% tax' : ''}.`,
      );
    }
  }
  return errors;
}
