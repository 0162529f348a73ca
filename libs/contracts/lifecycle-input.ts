import { InvoiceFacts, InvoiceLifecycleInput } from './workflows';

type Instant = Date | string;

/** What a lifecycle starts from; instants may arrive as strings, since activity results cross Temporal as JSON. */
export interface LifecycleRecord {
  invoiceId: string;
  invoiceNumber: string;
  warnAt: Instant;
  dueAt: Instant;
  legalDueAt: Instant;
  notifyBuyer: boolean;
  facts: InvoiceFacts;
}

/** The one place a lifecycle workflow's input is built: for a new invoice, or to resume a finished one. */
export function lifecycleInput(sellerBan: string, record: LifecycleRecord, resume?: InvoiceLifecycleInput['resume']): InvoiceLifecycleInput {
  return {
    invoiceId: record.invoiceId,
    sellerBan,
    invoiceNumber: record.invoiceNumber,
    warnAt: new Date(record.warnAt).toISOString(),
    dueAt: new Date(record.dueAt).toISOString(),
    legalDueAt: new Date(record.legalDueAt).toISOString(),
    notifyBuyer: record.notifyBuyer,
    facts: record.facts,
    ...(resume ? { resume } : {}),
  };
}
