import { ErrorDetail } from '../domain-error';
import { isB2B } from './compute-amounts';
import { InvoiceInput } from './invoice.types';
import { buyerOf, errorAdder, isPresent, show } from './validation-helpers';

const CARRIER_ID: Record<string, RegExp> = {
  '3J0002': /^\/[0-9A-Z.+-]{7}$/,
  CQ0001: /^[A-Z]{2}[0-9]{14}$/,
};
const NPOBAN = /^[0-9]{3,7}$/;

/**
 * How the invoice reaches the buyer: a well-formed carrier, donation code and print flag, at most one of the three,
 * and for a consumer (B2C) at least one.
 */
export function validateDelivery(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  const b2b = isB2B({ buyer: buyerOf(input) });
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
  return errors;
}
