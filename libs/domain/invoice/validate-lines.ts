import { ErrorDetail } from '../domain-error';
import { MIG_LIMITS } from '../mig/mig-limits';
import { InvoiceInput, InvoiceLineInput } from './invoice.types';
import { AddError, charLength, errorAdder, fractionDigits, inRange, isPresent, show } from './validation-helpers';

export const MAX_INVOICE_LINES = MIG_LIMITS.items.max;
export const MAX_DESCRIPTION_LENGTH = MIG_LIMITS.description.max;
const MAX_UNIT_LENGTH = MIG_LIMITS.unit.max;
const MAX_REMARK_LENGTH = MIG_LIMITS.lineRemark.max;
const MAX_FRACTION_DIGITS = MIG_LIMITS.decimal.fraction;
/** |quantity × unitPrice − amount| allowed, half a cent. */
const AMOUNT_TOLERANCE = 0.005;

export interface LinesValidation {
  errors: ErrorDetail[];
  /** Every line's amount and tax type could be read, so the lines can be totalled. */
  amountsUsable: boolean;
}

/** The lines: how many, and each one's description, numbers, unit and tax type against the invoice's. */
export function validateLines(input: InvoiceInput): LinesValidation {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  const lines: unknown[] = Array.isArray(input.lines) ? input.lines : [];
  if (lines.length === 0) {
    add('lines', 'LINES_REQUIRED', 'An invoice needs at least one 明細 (line).');
  } else if (lines.length > MAX_INVOICE_LINES) {
    add(
      'lines',
      'TOO_MANY_LINES',
      `An invoice has at most ${MAX_INVOICE_LINES} 明細 (lines); this one has ${lines.length}.`,
    );
  }
  let amountsUsable = lines.length > 0;
  lines.forEach((raw, i) => {
    if (!validateLine(raw, i, input.taxType, add)) amountsUsable = false;
  });
  return { errors, amountsUsable };
}

/** Checks line `i`; false when its amount or tax type cannot be used for the total. */
function validateLine(raw: unknown, i: number, invoiceTaxType: InvoiceInput['taxType'], add: AddError): boolean {
  const at = `lines[${i}]`;
  const n = i + 1;
  if (raw === null || typeof raw !== 'object') {
    add(at, 'LINE_INVALID', `明細 (line) ${n} is empty.`);
    return false;
  }
  let usable = true;
  const line = raw as Partial<InvoiceLineInput>;
  if (typeof line.description !== 'string' || line.description.trim() === '') {
    add(`${at}.description`, 'LINE_DESCRIPTION_REQUIRED', `品名 (description) of line ${n} is required.`);
  } else if (charLength(line.description) > MAX_DESCRIPTION_LENGTH) {
    add(
      `${at}.description`,
      'LINE_DESCRIPTION_TOO_LONG',
      `品名 (description) of line ${n} must be at most ${MAX_DESCRIPTION_LENGTH} characters.`,
    );
  }
  const { quantity, unitPrice, amount } = line;
  // MIG decimals keep 7 places; more would be rounded away in the message.
  for (const [field, name] of [['quantity', '數量 (quantity)'], ['unitPrice', '單價 (unit price)'], ['amount', '金額 (amount)']] as const) {
    const value = line[field];
    if (typeof value === 'number' && Number.isFinite(value) && fractionDigits(value) > MAX_FRACTION_DIGITS) {
      add(`${at}.${field}`, 'LINE_DECIMALS_TOO_MANY', `${name} of line ${n} has more than ${MAX_FRACTION_DIGITS} digits after the point: ${value}.`);
    }
  }
  const quantityOk = inRange(quantity, 0, false);
  if (!quantityOk) {
    add(
      `${at}.quantity`,
      'LINE_QUANTITY_INVALID',
      `數量 (quantity) of line ${n} must be a number greater than 0 (and below 10^13), not ${show(line.quantity)}.`,
    );
  }
  const unitPriceOk = inRange(unitPrice, 0, true);
  if (!unitPriceOk) {
    add(
      `${at}.unitPrice`,
      'LINE_UNIT_PRICE_INVALID',
      `單價 (unit price) of line ${n} must be a number of 0 or more (and below 10^13), not ${show(line.unitPrice)}.`,
    );
  }
  const amountOk = inRange(amount, 0, true);
  if (!amountOk) {
    add(
      `${at}.amount`,
      'LINE_AMOUNT_INVALID',
      `金額 (amount) of line ${n} must be a number of 0 or more (and below 10^13), not ${show(line.amount)}.`,
    );
    usable = false;
  }
  if (quantityOk && unitPriceOk && amountOk) {
    const expected = quantity * unitPrice;
    // The epsilon keeps a difference of exactly half a cent inside despite binary rounding.
    if (Math.abs(expected - amount) > AMOUNT_TOLERANCE + 1e-9) {
      add(
        `${at}.amount`,
        'LINE_AMOUNT_MISMATCH',
        `金額 (amount) of line ${n} is ${amount} but 數量 × 單價 (quantity × unit price) is ${Number(expected.toFixed(7))}.`,
      );
    }
  }
  if (isPresent(line.unit) && (typeof line.unit !== 'string' || charLength(line.unit) > MAX_UNIT_LENGTH)) {
    add(`${at}.unit`, 'LINE_UNIT_TOO_LONG', `單位 (unit) of line ${n} must be at most ${MAX_UNIT_LENGTH} characters.`);
  }
  if (isPresent(line.remark) && (typeof line.remark !== 'string' || charLength(line.remark) > MAX_REMARK_LENGTH)) {
    add(`${at}.remark`, 'LINE_REMARK_TOO_LONG', `明細備註 (line remark) of line ${n} must be at most ${MAX_REMARK_LENGTH} characters.`);
  }
  const lineTax = line.taxType;
  if (invoiceTaxType === '9') {
    if (!isPresent(lineTax)) {
      add(
        `${at}.taxType`,
        'LINE_TAX_TYPE_REQUIRED',
        `課稅別 (tax type) of line ${n} is required on a mixed (9) invoice: 1, 2 or 3.`,
      );
      usable = false;
    } else if (!['1', '2', '3'].includes(lineTax as string)) {
      add(
        `${at}.taxType`,
        'LINE_TAX_TYPE_INVALID',
        `課稅別 (tax type) of line ${n} must be 1, 2 or 3, not ${show(lineTax)}.`,
      );
      usable = false;
    }
  } else if (isPresent(lineTax) && lineTax !== invoiceTaxType) {
    add(
      `${at}.taxType`,
      'LINE_TAX_TYPE_MISMATCH',
      `課稅別 (tax type) of line ${n} is ${show(lineTax)} but the invoice's is ${show(invoiceTaxType)}; ` +
        'only a mixed (9) invoice may differ per line.',
    );
    usable = false;
  }
  return usable;
}
