import { DomainError, ErrorDetail } from '../domain-error';
import { AllowanceLineFact, AllowanceRequest, ExistingAllowance, remainingByLine } from '../invoice/allowances';
import { exactSum, toScaled } from '../invoice/money';
import { OrderEvent } from './order-event';

/** What a return asks of the invoice: everything it still holds (`full`), or an allowance of these lines. */
export interface ReturnPlan {
  full: boolean;
  request: AllowanceRequest;
}

const refuse = (message: string, details: ErrorDetail[]) => new DomainError('invalid', 'ORDER.RETURN_INVALID', message, details);

/** A part of a line's amount, to the 7 decimal places MIG amounts carry. */
const portion = (line: AllowanceLineFact, quantity: number): number =>
  quantity === line.quantity ? line.amount : Number(((line.amount * quantity) / line.quantity).toFixed(7));

/**
 * Turns a `returned` event into the allowance it enters: returned lines are priced at their share of the line's
 * amount; an amount is taken from the lines in order, each up to what it has left. A return that takes everything
 * the invoice still holds, with no allowance before it, is `full` (the caller voids instead while the period allows).
 */
export function planReturn(lines: AllowanceLineFact[], existing: ExistingAllowance[], event: Pick<OrderEvent, 'lines' | 'amount'>): ReturnPlan {
  const left = remainingByLine(lines, existing);
  const untouched = !existing.some((a) => a.live);
  if (event.amount !== undefined) {
    const total = exactSum(left);
    if (!(event.amount > 0) || toScaled(event.amount) > toScaled(total)) {
      throw refuse(`the return of ${event.amount} is more than the ${total} the invoice has left`, [
        { field: 'amount', code: 'ORDER.RETURN_INVALID', message: `at most ${total}` },
      ]);
    }
    if (toScaled(event.amount) === toScaled(total)) return { full: untouched, request: { whole: true } };
    const asked: { lineIndex: number; amount: number }[] = [];
    let rest = event.amount;
    left.forEach((available, lineIndex) => {
      if (toScaled(rest) <= 0n || toScaled(available) <= 0n) return;
      const amount = toScaled(available) < toScaled(rest) ? available : rest;
      asked.push({ lineIndex, amount });
      rest = exactSum([rest, -amount]);
    });
    return { full: false, request: { lines: asked } };
  }
  const errors: ErrorDetail[] = [];
  const asked = (event.lines ?? []).flatMap(({ line, quantity }, i) => {
    const fact = lines[line - 1];
    if (!fact) {
      errors.push({ field: `lines[${i}].line`, code: 'ORDER.RETURN_INVALID', message: `the invoice has lines 1–${lines.length}` });
      return [];
    }
    if (!(quantity > 0) || quantity > fact.quantity) {
      errors.push({ field: `lines[${i}].quantity`, code: 'ORDER.RETURN_INVALID', message: `line ${line} has a quantity of ${fact.quantity}` });
      return [];
    }
    return [{ lineIndex: line - 1, quantity, amount: portion(fact, quantity) }];
  });
  if (errors.length > 0) throw refuse(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  const full = untouched && lines.every((fact, index) => asked.some((a) => a.lineIndex === index && a.quantity === fact.quantity));
  return full ? { full, request: { whole: true } } : { full, request: { lines: asked } };
}
