import { InvoiceRecord } from '../../../libs/modules/invoices';

/** The API's view of an invoice: the order as issued, its amounts, status and both deadlines. */
export function invoiceView(invoice: InvoiceRecord) {
  return {
    number: invoice.invoiceNumber,
    billingNo: invoice.billingNo,
    period: invoice.period,
    channel: invoice.channelCode,
    issuedAt: invoice.issuedAt,
    randomNumber: invoice.randomNumber,
    invoiceType: invoice.invoiceType,
    taxType: invoice.taxType,
    buyer: { ban: invoice.buyerBan, name: invoice.buyerName, email: invoice.buyerEmail },
    amounts: invoice.amounts,
    lines: invoice.payload.lines,
    status: invoice.status,
    deadline: { state: invoice.deadlineState, warnAt: invoice.warnAt, dueAt: invoice.dueAt, legalDueAt: invoice.legalDueAt },
    sentAt: invoice.sentAt,
    acceptedAt: invoice.acceptedAt,
    lastError: invoice.lastError,
  };
}
