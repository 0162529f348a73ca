import { DomainError, ErrorDetail } from '../domain-error';
import { TAX_RATE, lineTaxType } from './compute-amounts';
import { InvoiceInput, LineTaxType } from './invoice.types';
import { exactSum, roundHalfUp, toScaled } from './money';

/** What an allowance may draw on: each invoice line as issued (B2C tax-included, B2B untaxed amounts). */
export interface AllowanceLineFact {
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxType: LineTaxType;
}

/** What each line of an issued order offers an allowance. */
export function allowanceLinesOf(input: InvoiceInput): AllowanceLineFact[] {
  return input.lines.map((line) => ({
    description: line.description,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    amount: line.amount,
    taxType: lineTaxType(input, line),
  }));
}

export interface AllowanceLine {
  /** 0-based index of the invoice line. */
  lineIndex: number;
  quantity: number;
  /** In the invoice's own terms: B2C tax-included, B2B untaxed. */
  amount: number;
}

export interface ExistingAllowance {
  number: string;
  live: boolean;
  lines: AllowanceLine[];
}

export type AllowanceRequest = { whole: true } | { whole?: false; lines: { lineIndex: number; quantity?: number; amount: number }[] };

const TAX_TYPE_NAMES: Record<LineTaxType, string> = { '1': 'taxable (應稅)', '2': 'zero-rated (零稅率)', '3': 'tax-exempt (免稅)' };

const cents = (value: number) => toScaled(value);

/** What is left to allow per invoice line, after every live allowance. */
export function remainingByLine(lines: AllowanceLineFact[], existing: ExistingAllowance[]): number[] {
  return lines.map((line, index) =>
    exactSum([line.amount, ...existing.filter((a) => a.live).flatMap((a) => a.lines.filter((l) => l.lineIndex === index).map((l) => -l.amount))]),
  );
}

export function remainingByTaxType(lines: AllowanceLineFact[], existing: ExistingAllowance[]): Record<LineTaxType, number> {
  const left = remainingByLine(lines, existing);
  const sum = (type: LineTaxType) => exactSum(lines.flatMap((line, i) => (line.taxType === type ? [left[i]] : [])));
  return { '1': sum('1'), '2': sum('2'), '3': sum('3') };
}

/**
 * Checks a new allowance against the invoice and its live allowances: every line amount positive and within what
 * the line has left, and per tax type never beyond the invoice. Returns the allowance's lines, or throws naming
 * what remains.
 */
export function planAllowance(lines: AllowanceLineFact[], existing: ExistingAllowance[], request: AllowanceRequest): AllowanceLine[] {
  const left = remainingByLine(lines, existing);
  if (request.whole) {
    const planned = lines.flatMap((line, lineIndex) => (cents(left[lineIndex]) > 0n ? [{ lineIndex, quantity: line.quantity, amount: left[lineIndex] }] : []));
    if (planned.length === 0) throw refuse('ALLOWANCE.NOTHING_LEFT', 'the invoice is already fully allowed', []);
    return planned;
  }
  const errors: ErrorDetail[] = [];
  if (request.lines.length === 0) errors.push({ field: 'lines', code: 'ALLOWANCE.NO_LINES', message: 'give at least one line, or whole: true' });
  const seen = new Set<number>();
  request.lines.forEach((line, i) => {
    const field = `lines[${i}]`;
    if (!Number.isInteger(line.lineIndex) || !lines[line.lineIndex]) {
      errors.push({ field: `${field}.line`, code: 'ALLOWANCE.NO_SUCH_LINE', message: `the invoice has lines 1–${lines.length}` });
      return;
    }
    if (seen.has(line.lineIndex)) errors.push({ field: `${field}.line`, code: 'ALLOWANCE.LINE_REPEATED', message: `line ${line.lineIndex + 1} appears twice` });
    seen.add(line.lineIndex);
    if (!Number.isFinite(line.amount) || line.amount <= 0) {
      errors.push({ field: `${field}.amount`, code: 'ALLOWANCE.AMOUNT_INVALID', message: 'amount must be greater than 0' });
    } else if (cents(line.amount) > cents(left[line.lineIndex])) {
      errors.push({
        field: `${field}.amount`,
        code: 'ALLOWANCE.EXCEEDS_LINE',
        message: `line ${line.lineIndex + 1} (${lines[line.lineIndex].description}) has ${left[line.lineIndex]} left to allow, not ${line.amount}`,
      });
    }
    if (line.quantity !== undefined && (!Number.isFinite(line.quantity) || line.quantity <= 0 || line.quantity > lines[line.lineIndex].quantity)) {
      errors.push({ field: `${field}.quantity`, code: 'ALLOWANCE.QUANTITY_INVALID', message: `quantity must be above 0 and at most ${lines[line.lineIndex].quantity}` });
    }
  });
  if (errors.length === 0) {
    const byType = remainingByTaxType(lines, existing);
    for (const type of ['1', '2', '3'] as const) {
      const asked = exactSum(request.lines.filter((l) => lines[l.lineIndex].taxType === type).map((l) => l.amount));
      if (cents(asked) > cents(byType[type])) {
        errors.push({
          field: 'lines',
          code: 'ALLOWANCE.EXCEEDS_INVOICE',
          message: `the ${TAX_TYPE_NAMES[type]} allowance of ${asked} exceeds the ${byType[type]} remaining on the invoice`,
        });
      }
    }
  }
  if (errors.length > 0) {
    const exceeds = errors.find((e) => e.code.startsWith('ALLOWANCE.EXCEEDS'));
    throw refuse(exceeds ? exceeds.code : 'ALLOWANCE.INVALID', errors.map((e) => e.message).join('; '), errors);
  }
  return request.lines.map((line) => ({
    lineIndex: line.lineIndex,
    quantity: line.quantity ?? lines[line.lineIndex].quantity,
    amount: line.amount,
  }));
}

/** G0401 line money: Amount is untaxed for B2B and B2C alike, Tax separate (B2C amounts are tax-included). */
export function allowanceItemMoney(amount: number, taxType: LineTaxType, b2b: boolean): { untaxed: number; tax: number } {
  if (taxType !== '1') return { untaxed: amount, tax: 0 };
  if (b2b) return { untaxed: amount, tax: roundHalfUp(amount * TAX_RATE) };
  const untaxed = roundHalfUp((amount * 100) / 105);
  return { untaxed, tax: exactSum([amount, -untaxed]) };
}

function refuse(code: string, message: string, details: ErrorDetail[]): DomainError {
  return new DomainError(code === 'ALLOWANCE.INVALID' ? 'invalid' : 'conflict', code, message, details);
}
