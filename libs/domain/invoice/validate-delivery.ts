import { ErrorDetail } from '../domain-error';
import { MIG_LIMITS } from '../mig/mig-limits';
import { isB2B } from './compute-amounts';
import { InvoiceInput } from './invoice.types';
import { buyerOf, errorAdder, isPresent, show } from './validation-helpers';

const CARRIER_ID: Record<string, RegExp> = {
  '3J0002': /^\/[0-9A-Z.+-]{7}$/,
  CQ0001: /^[A-Z]{2}[0-9]{14}$/,
};
const NPOBAN = new RegExp(`^[0-9]{${MIG_LIMITS.npoban.min},${MIG_LIMITS.npoban.max}}$`);

/**
 * PrintMark Y or N. Not given, a B2B invoice without a carrier is printed: the gateway refuses PrintMark N without a
 * carrier or a donation, and a B2B buyer never donates, so its proof (電子發票證明聯) is printed or e-mailed.
 * The one PrintMark rule: the F0401 sends it and the proof is printed by it (invoice-proof/proof-rules.ts).
 */
export function printMarkOf(input: Pick<InvoiceInput, 'buyer' | 'carrier' | 'npoban' | 'print'>): boolean {
  if (typeof input.print === 'boolean') return input.print;
  return isB2B({ buyer: buyerOf(input as InvoiceInput) }) && !isPresent(input.carrier) && !isPresent(input.npoban);
}

/** The request with `print` filled in where the rules decide it (a B2B invoice without a carrier is printed). */
export function withDeliveryDefaults(input: InvoiceInput): InvoiceInput {
  if (input === null || typeof input !== 'object' || input.print !== undefined || !printMarkOf(input)) return input;
  return { ...input, print: true };
}

/**
 * How the invoice reaches the buyer, as the Turnkey gateway checks it: a well-formed carrier and donation code; a
 * donation has no carrier and is not printed, and a B2B buyer cannot donate; PrintMark N needs a carrier or a
 * donation (so a B2C invoice is printed, on a carrier or donated, and a B2B one without a carrier is printed); a
 * printed invoice carries no carrier, except a B2B one on a mobile barcode.
 */
export function validateDelivery(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  const b2b = isB2B({ buyer: buyerOf(input) });
  const carrier = input.carrier;
  const hasCarrier = isPresent(carrier);
  const carrierType = hasCarrier && typeof carrier === 'object' ? carrier.type : undefined;
  const donates = isPresent(input.npoban);
  if (hasCarrier) {
    const id = typeof carrier === 'object' ? carrier.id : undefined;
    if (typeof carrierType !== 'string' || !Object.hasOwn(CARRIER_ID, carrierType)) {
      add(
        'carrier.type',
        'CARRIER_TYPE_INVALID',
        `載具類別 (carrier type) ${show(carrierType)} is not supported: use 3J0002 (mobile barcode) or CQ0001 (citizen certificate).`,
      );
    } else if (typeof id !== 'string' || !CARRIER_ID[carrierType].test(id)) {
      const format =
        carrierType === '3J0002' ? "'/' followed by 7 of 0-9, A-Z, '.', '+', '-'" : '2 uppercase letters followed by 14 digits';
      add(
        'carrier.id',
        'CARRIER_ID_INVALID',
        `載具號碼 (carrier ID) ${show(id)} is not a valid ${carrierType} carrier: expected ${format}.`,
      );
    }
  }
  if (donates && (typeof input.npoban !== 'string' || !NPOBAN.test(input.npoban))) {
    add('npoban', 'NPOBAN_INVALID', `愛心碼 (donation code) ${show(input.npoban)} must be ${MIG_LIMITS.npoban.min} to ${MIG_LIMITS.npoban.max} digits.`);
  }
  if (input.print !== undefined && input.print !== null && typeof input.print !== 'boolean') {
    add('print', 'PRINT_INVALID', `列印 (print) must be true or false, not ${show(input.print)}.`);
  }
  const prints = input.print === true;
  if (donates && b2b) {
    add('npoban', 'B2B_DONATION', 'An invoice with a 買方統編 (buyer BAN) cannot be donated; remove the 愛心碼 (donation code).');
  }
  if (donates && hasCarrier) {
    add('npoban', 'DONATION_WITH_CARRIER', 'A donated invoice cannot also be stored on a 載具 (carrier); choose one.');
  }
  if (prints && donates) {
    add('print', 'PRINT_WITH_DONATION', 'A donated invoice cannot be printed; choose print or 愛心碼 (donation code).');
  }
  if (prints && hasCarrier && !(b2b && carrierType === '3J0002')) {
    add(
      'print',
      'PRINT_WITH_CARRIER',
      b2b
        ? 'A B2B invoice on a 載具 (carrier) may be printed only on a mobile barcode (3J0002); leave 列印 (print) empty or false.'
        : 'A printed consumer (B2C) invoice cannot also be stored on a 載具 (carrier); choose one.',
    );
  }
  if (b2b && !hasCarrier && !donates && input.print === false) {
    add(
      'print',
      'B2B_PRINT_REQUIRED',
      'A B2B invoice without a 載具 (carrier) is printed (PrintMark Y): the platform refuses PrintMark N without a carrier or a donation. ' +
        'Leave 列印 (print) empty or true, or give a mobile barcode carrier.',
    );
  }
  if (!b2b && !prints && !hasCarrier && !donates) {
    add(
      'print',
      'B2C_DELIVERY_REQUIRED',
      'A consumer (B2C) invoice must be printed, stored on a 載具 (carrier) or donated with an 愛心碼 (donation code): PrintMark N needs one of them.',
    );
  }
  return errors;
}
