import { InvoiceFacts } from './workflows';
import { filingDeadline, tryParsePeriod } from '../domain';
import { isB2B, lineTaxType } from '../domain/invoice/compute-amounts';
import { InvoiceInput } from '../domain/invoice/invoice.types';

/** The facts a lifecycle workflow judges voids and allowances by, taken from the order as issued. */
export function invoiceFacts(input: InvoiceInput, period: string): InvoiceFacts {
  return {
    b2b: isB2B(input),
    lines: input.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.amount,
      taxType: lineTaxType(input, line),
    })),
    filingDeadline: filingDeadline(tryParsePeriod(period)!).toISOString(),
  };
}
