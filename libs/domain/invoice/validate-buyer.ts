import { isValidBan } from '../ban';
import { ErrorDetail } from '../domain-error';
import { isB2B } from './compute-amounts';
import { MIG_LIMITS } from '../mig/mig-limits';
import { InvoiceInput } from './invoice.types';
import { buyerOf, charLength, errorAdder, isPresent, show } from './validation-helpers';

const MAX_BUYER_NAME_LENGTH = MIG_LIMITS.name.max;
const MAX_BUYER_ADDRESS_LENGTH = MIG_LIMITS.address.max;
const MAX_EMAIL_LENGTH = MIG_LIMITS.emailAddress.max;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The buyer: a valid BAN and a name for B2B; lengths and a well-formed e-mail for anyone. */
export function validateBuyer(input: InvoiceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const add = errorAdder(errors);
  const buyer = buyerOf(input);
  const b2b = isB2B({ buyer });
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
      `買方電子郵件 (buyer e-mail) ${show(buyer.email)} is not a valid e-mail address of at most ${MAX_EMAIL_LENGTH} characters.`,
    );
  }
  return errors;
}
