import { isValidBan } from '../ban';
import { ErrorDetail } from '../domain-error';
import { computeAmounts, isB2B } from './compute-amounts';
import { InvoiceInput, InvoiceLineInput } from './invoice.types';

export const MAX_INVOICE_LINES = 9999;
export const MAX_DESCRIPTION_LENGTH = 500;
/** MIG 4.1 lengths: Buyer Name 60, Address 100, EmailAddress 400, Unit 6, MainRemark 200. */
const MAX_BUYER_NAME_LENGTH = 60;
const MAX_BUYER_ADDRESS_LENGTH = 100;
const MAX_EMAIL_LENGTH = 400;
const MAX_UNIT_LENGTH = 6;
const MAX_MAIN_REMARK_LENGTH = 200;
/** |quantity × unitPrice − amount| allowed, half a cent. */
const AMOUNT_TOLERANCE = 0.005;

const BILLING_NO = /^[A-Za-z0-9_\-./]{1,60}$/;
const CARRIER_ID: Record<string, RegExp> = {
  '3J0002': /^\/[0-9A-Z.+-]{7}$/,
  CQ0001: /^[A-Z]{2}[0-9]{14}$/,
};
const NPOBAN = /^[0-9]{3,7}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const ZERO_TAX_REASON = /^7[1-9]$/;
const TAX_TYPES_BY_INVOICE_TYPE: Record<string, readonly string[]> = {
  '07': ['1', '2', '3', '9'],
  // 08 (special tax) allows 3 and 4; 4 (special tax rates) is not supported by this system.
  '08': ['3'],
};

/** Length in characters as staff count them (a Chinese character or emoji is one). */
const charLength = (text: string): number => [...text].length;
const isPresent = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** MIG decimals have 20 digits of which 7 are fraction digits, so at most 13 integer digits. */
const MAX_DECIMAL = 1e13;
const inRange = (value: unknown, min: number, minInclusive: boolean): value is number =>
  isFiniteNumber(value) && (minInclusive ? value >= min : value > min) && value < MAX_DECIMAL;
const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

/**
 * Every problem of an invoice request, each with a field path, a stable code and a message finance staff can act on.
 * Never throws, whatever the shape of the input (it may come straight from JSON or a spreadsheet).
 */
export function validateInvoiceInput(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = (field: string, code: string, message: string): void => {
    errors.push({ field, code: `INVOICE.${code}`, message });
  };
  if (input === null || typeof input !== 'object') {
    add('', 'INPUT_INVALID', 'The invoice request is empty or not an object.');
    return errors;
  }
  const buyer: Partial<InvoiceInput['buyer']> = input.buyer && typeof input.buyer === 'object' ? input.buyer : {};
  const b2b = isB2B({ buyer });

  // BillingNo
  if (!isPresent(input.billingNo)) {
    add('billingNo', 'BILLING_NO_REQUIRED', '訂單編號 (BillingNo) is required.');
  } else if (typeof input.billingNo !== 'string' || !BILLING_NO.test(input.billingNo)) {
    add(
      'billingNo',
      'BILLING_NO_INVALID',
      `訂單編號 (BillingNo) ${show(input.billingNo)} must be 1–60 characters of letters, digits, _ - . or /.`,
    );
  }

  // Buyer
  if (b2b && (typeof buyer.ban !== 'string' || !isValidBan(buyer.ban))) {
    add(
      'buyer.ban',
      'BUYER_BAN_INVALID',
      `買方統編 (buyer BAN) ${show(buyer.ban)} is not a valid business number: it must be 8 digits with a correct check digit.`,
    );
  }
  if (b2b && (typeof buyer.name !== 'string' || buyer.name.trim() === '')) {
    add('buyer.name', 'BUYER_NAME_REQUIRED', '買方名稱 (buyer name) is required when a buyer BAN is given (B2B).');
  } else if (isPresent(buyer.name) && (typeof buyer.name !== 'string' || charLength(buyer.name) > MAX_BUYER_NAME_LENGTH)) {
    add('buyer.name', 'BUYER_NAME_TOO_LONG', `買方名稱 (buyer name) must be at most ${MAX_BUYER_NAME_LENGTH} characters.`);
  }
  if (
    isPresent(buyer.address) &&
    (typeof buyer.address !== 'string' || charLength(buyer.address) > MAX_BUYER_ADDRESS_LENGTH)
  ) {
    add(
      'buyer.address',
      'BUYER_ADDRESS_TOO_LONG',
      `買方地址 (buyer address) must be at most ${MAX_BUYER_ADDRESS_LENGTH} characters.`,
    );
  }
  if (
    isPresent(buyer.email) &&
    (typeof buyer.email !== 'string' || charLength(buyer.email) > MAX_EMAIL_LENGTH || !EMAIL.test(buyer.email))
  ) {
    add(
      'buyer.email',
      'BUYER_EMAIL_INVALID',
      `買方電子郵件 (buyer e-mail) ${show(buyer.email)} is not a valid e-mail address.`,
    );
  }

  // Delivery: carrier, donation, print
  const carrier = input.carrier;
  const hasCarrier = isPresent(carrier);
  const donates = isPresent(input.npoban);
  const prints = input.print === true;
  if (hasCarrier) {
    const type = typeof carrier === 'object' ? carrier.type : undefined;
    const id = typeof carrier === 'object' ? carrier.id : undefined;
    if (typeof type !== 'string' || !Object.hasOwn(CARRIER_ID, type)) {
      add(
        'carrier.type',
        'CARRIER_TYPE_INVALID',
        `載具類別 (carrier type) ${show(type)} is not supported: use 3J0002 (mobile barcode) or CQ0001 (citizen certificate).`,
      );
    } else if (typeof id !== 'string' || !CARRIER_ID[type].test(id)) {
      const format =
        type === '3J0002' ? "'/' followed by 7 of 0-9, A-Z, '.', '+', '-'" : '2 uppercase letters followed by 14 digits';
      add(
        'carrier.id',
        'CARRIER_ID_INVALID',
        `載具號碼 (carrier ID) ${show(id)} is not a valid ${type} carrier: expected ${format}.`,
      );
    }
  }
  if (donates && (typeof input.npoban !== 'string' || !NPOBAN.test(input.npoban))) {
    add('npoban', 'NPOBAN_INVALID', `愛心碼 (donation code) ${show(input.npoban)} must be 3 to 7 digits.`);
  }
  if (input.print !== undefined && input.print !== null && typeof input.print !== 'boolean') {
    add('print', 'PRINT_INVALID', `列印 (print) must be true or false, not ${show(input.print)}.`);
  }
  if (donates && b2b) {
    add(
      'npoban',
      'B2B_DONATION',
      'An invoice with a 買方統編 (buyer BAN) cannot be donated; remove the 愛心碼 (donation code).',
    );
  }
  if (donates && hasCarrier) {
    add('npoban', 'DONATION_WITH_CARRIER', 'A donated invoice cannot also be stored on a 載具 (carrier); choose one.');
  }
  if (prints && donates) {
    add('print', 'PRINT_WITH_DONATION', 'A donated invoice cannot be printed; choose print or 愛心碼 (donation code).');
  }
  if (prints && hasCarrier) {
    add('print', 'PRINT_WITH_CARRIER', 'A printed invoice cannot also be stored on a 載具 (carrier); choose one.');
  }
  if (!b2b && !prints && !hasCarrier && !donates) {
    // The platform rejects a B2C invoice that is neither printed, stored on a carrier nor donated.
    add(
      'print',
      'B2C_DELIVERY_REQUIRED',
      'A consumer (B2C) invoice must be printed, stored on a 載具 (carrier) or donated with an 愛心碼 (donation code).',
    );
  }

  // Invoice type and tax type
  const invoiceType = input.invoiceType ?? '07';
  const allowedTaxTypes = Object.hasOwn(TAX_TYPES_BY_INVOICE_TYPE, invoiceType)
    ? TAX_TYPES_BY_INVOICE_TYPE[invoiceType]
    : undefined;
  if (!allowedTaxTypes) {
    add('invoiceType', 'INVOICE_TYPE_INVALID', `發票類別 (invoice type) ${show(input.invoiceType)} must be 07 or 08.`);
  }
  const taxTypeKnown = ['1', '2', '3', '9'].includes(input.taxType);
  if (!taxTypeKnown) {
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
  if (input.taxType === '9' && b2b) {
    add(
      'taxType',
      'MIXED_TAX_B2B',
      '課稅別 9 (mixed) is only allowed for consumer (B2C) invoices, not with a 買方統編 (buyer BAN).',
    );
  }

  // Lines
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
  let anyZeroRated = input.taxType === '2';
  let amountsUsable = lines.length > 0;
  lines.forEach((raw, i) => {
    const at = `lines[${i}]`;
    const n = i + 1;
    if (raw === null || typeof raw !== 'object') {
      add(at, 'LINE_INVALID', `明細 (line) ${n} is empty.`);
      amountsUsable = false;
      return;
    }
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
      amountsUsable = false;
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
    const lineTax = line.taxType;
    if (input.taxType === '9') {
      if (!isPresent(lineTax)) {
        add(
          `${at}.taxType`,
          'LINE_TAX_TYPE_REQUIRED',
          `課稅別 (tax type) of line ${n} is required on a mixed (9) invoice: 1, 2 or 3.`,
        );
        amountsUsable = false;
      } else if (!['1', '2', '3'].includes(lineTax as string)) {
        add(
          `${at}.taxType`,
          'LINE_TAX_TYPE_INVALID',
          `課稅別 (tax type) of line ${n} must be 1, 2 or 3, not ${show(lineTax)}.`,
        );
        amountsUsable = false;
      } else if (lineTax === '2') {
        anyZeroRated = true;
      }
    } else if (isPresent(lineTax) && lineTax !== input.taxType) {
      add(
        `${at}.taxType`,
        'LINE_TAX_TYPE_MISMATCH',
        `課稅別 (tax type) of line ${n} is ${show(lineTax)} but the invoice's is ${show(input.taxType)}; ` +
          'only a mixed (9) invoice may differ per line.',
      );
      amountsUsable = false;
    }
  });

  // Zero-rated: customs clearance mark and reason
  const zeroTax = input.zeroTax;
  if (anyZeroRated) {
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
  } else if (isPresent(zeroTax) && taxTypeKnown) {
    add(
      'zeroTax',
      'ZERO_TAX_NOT_APPLICABLE',
      'Zero-rate details (通關方式註記, 零稅率原因) are only allowed with zero-rated (課稅別 2) sales.',
    );
  }

  const remark = input.mainRemark;
  if (isPresent(remark) && (typeof remark !== 'string' || charLength(remark) > MAX_MAIN_REMARK_LENGTH)) {
    add(
      'mainRemark',
      'MAIN_REMARK_TOO_LONG',
      `總備註 (main remark) must be at most ${MAX_MAIN_REMARK_LENGTH} characters.`,
    );
  }

  // Total: compared only when every line amount and tax type could be read.
  if (input.totalAmount !== undefined && input.totalAmount !== null) {
    if (!isFiniteNumber(input.totalAmount) || input.totalAmount < 0) {
      add(
        'totalAmount',
        'TOTAL_AMOUNT_INVALID',
        `總計 (total amount) must be a number of 0 or more, not ${show(input.totalAmount)}.`,
      );
    } else if (amountsUsable && taxTypeKnown) {
      const computed = computeAmounts(input).totalAmount;
      if (Math.abs(computed - input.totalAmount) > 1e-9) {
        add(
          'totalAmount',
          'TOTAL_AMOUNT_MISMATCH',
          `總計 (total amount) is ${input.totalAmount} but the lines add up to ${computed}${b2b ? ' including 5% tax' : ''}.`,
        );
      }
    }
  }
  return errors;
}
