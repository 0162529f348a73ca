/** What the section validators of an invoice request share; the request may come straight from JSON or a sheet. */

import { ErrorDetail } from '../domain-error';
import { MIG_LIMITS } from '../mig/mig-limits';
import { BuyerInput, InvoiceInput } from './invoice.types';

/** Length in characters as staff count them (a Chinese character or emoji is one). */
export const charLength = (text: string): number => [...text].length;
export const isPresent = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** MIG decimals have 20 digits of which 7 are fraction digits, so at most 13 integer digits. */
const MAX_DECIMAL = 10 ** (MIG_LIMITS.decimal.digits - MIG_LIMITS.decimal.fraction);
/** Digits after the point of a number as JavaScript writes it shortest (1e-7 is 7, 0.1 + 0.2 is 17). */
export function fractionDigits(value: number): number {
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e');
  const decimals = (mantissa.split('.')[1] ?? '').length;
  return Math.max(0, decimals - Number(exponent));
}
export const inRange = (value: unknown, min: number, minInclusive: boolean): value is number =>
  isFiniteNumber(value) && (minInclusive ? value >= min : value > min) && value < MAX_DECIMAL;
export const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

export type AddError = (field: string, code: string, message: string) => void;

/** Adds an error to `errors`, its code prefixed with `INVOICE.`. */
export const errorAdder =
  (errors: ErrorDetail[]): AddError =>
  (field, code, message) => {
    errors.push({ field, code: `INVOICE.${code}`, message });
  };

/** The buyer of the request, empty when it has none or it is not an object. */
export function buyerOf(input: InvoiceInput): Partial<BuyerInput> {
  return input.buyer && typeof input.buyer === 'object' ? input.buyer : {};
}
