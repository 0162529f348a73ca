import { InvoiceFacts } from './workflows';
import { filingDeadline, tryParsePeriod } from '../domain';
import { isB2B } from '../domain/invoice/compute-amounts';
import { InvoiceInput } from '../domain/invoice/invoice.types';

/**
 * The facts a lifecycle workflow judges voids and allowances by, taken from the order as issued: a few fields, never
 * the lines, so the input stays small whatever the invoice's size (the activities read the lines from the database).
 */
export function invoiceFacts(input: InvoiceInput, period: string): InvoiceFacts {
  return {
    b2b: isB2B(input),
    filingDeadline: filingDeadline(tryParsePeriod(period)!).toISOString(),
  };
}
