import { DomainError } from '../domain-error';
import { InvoiceInput } from '../invoice/invoice.types';
import { LifecycleState } from '../invoice/operation-rules';
import { printMarkOf } from '../invoice/validate-delivery';

/**
 * Whether the invoice's buyer gets a printed proof: exactly when its F0401 says PrintMark Y. Both ask `printMarkOf`,
 * so a proof is never printed for an invoice the platform was told is on a carrier or donated.
 */
export function mayPrintProof(input: Pick<InvoiceInput, 'buyer' | 'carrier' | 'npoban' | 'print'>): boolean {
  return printMarkOf(input);
}

/** Throws the 409 that says why no proof may be printed: a voided (or blank-cancelled) invoice, or PrintMark N. */
export function checkProofPrintable(invoice: { number: string; state: LifecycleState; input: InvoiceInput }): void {
  if (invoice.state === 'voided' || invoice.state === 'cancelled_blank') {
    throw new DomainError(
      'conflict',
      'PROOF.INVOICE_VOIDED',
      `invoice ${invoice.number} is ${invoice.state === 'voided' ? 'voided' : 'cancelled as blank'}: it has no proof (電子發票證明聯)`,
    );
  }
  if (!mayPrintProof(invoice.input)) {
    const why = invoice.input.npoban?.trim() ? 'donated' : 'stored on a carrier (載具)';
    throw new DomainError(
      'conflict',
      'PROOF.NOT_PRINTED',
      `invoice ${invoice.number} is ${why} and was sent with PrintMark N: its buyer gets no printed proof (電子發票證明聯)`,
    );
  }
}
