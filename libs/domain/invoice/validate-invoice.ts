import { ErrorDetail } from '../domain-error';
import { MIG_LIMITS } from '../mig/mig-limits';
import { InvoiceInput } from './invoice.types';
import { validateBuyer } from './validate-buyer';
import { validateDelivery, withDeliveryDefaults } from './validate-delivery';
import { validateLines } from './validate-lines';
import { validateTaxType } from './validate-tax-type';
import { validateTotals } from './validate-totals';
import { validateZeroTax } from './validate-zero-tax';
import { charLength, errorAdder, isPresent, show } from './validation-helpers';

export { MAX_DESCRIPTION_LENGTH, MAX_INVOICE_LINES } from './validate-lines';

const MAX_MAIN_REMARK_LENGTH = MIG_LIMITS.mainRemark.max;
const BILLING_NO = /^[A-Za-z0-9_\-./]{1,60}$/;

/**
 * Every problem of an invoice request, each with a field path, a stable code and a message finance staff can act on.
 * Never throws, whatever the shape of the input (it may come straight from JSON or a spreadsheet).
 */
export function validateInvoiceInput(input: InvoiceInput): ErrorDetail[] {
  if (input === null || typeof input !== 'object') {
    return [{ field: '', code: 'INVOICE.INPUT_INVALID', message: 'The invoice request is empty or not an object.' }];
  }
  const lines = validateLines(input);
  return [
    ...validateBillingNo(input),
    ...validateBuyer(input),
    ...validateDelivery(input),
    ...validateTaxType(input),
    ...lines.errors,
    ...validateZeroTax(input),
    ...validateMainRemark(input),
    ...validateTotals(input, lines.amountsUsable),
  ];
}

/**
 * The one check of an invoice request, wherever it arrives (`POST …/invoices`, an order event's content): the
 * request with the delivery defaults filled in, and every problem of it.
 */
export function checkInvoiceRequest(request: InvoiceInput): { input: InvoiceInput; errors: ErrorDetail[] } {
  const input = withDeliveryDefaults(request);
  return { input, errors: validateInvoiceInput(input) };
}

export function validateBillingNo(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  if (!isPresent(input.billingNo)) {
    add('billingNo', 'BILLING_NO_REQUIRED', '訂單編號 (BillingNo) is required.');
  } else if (typeof input.billingNo !== 'string' || !BILLING_NO.test(input.billingNo)) {
    add(
      'billingNo',
      'BILLING_NO_INVALID',
      `訂單編號 (BillingNo) ${show(input.billingNo)} must be 1–60 characters of letters, digits, _ - . or /.`,
    );
  }
  return errors;
}

function validateMainRemark(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const remark = input.mainRemark;
  if (isPresent(remark) && (typeof remark !== 'string' || charLength(remark) > MAX_MAIN_REMARK_LENGTH)) {
    errorAdder(errors)(
      'mainRemark',
      'MAIN_REMARK_TOO_LONG',
      `總備註 (main remark) must be at most ${MAX_MAIN_REMARK_LENGTH} characters.`,
    );
  }
  return errors;
}
