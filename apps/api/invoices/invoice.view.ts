import type { InvoiceExportRow } from '../../../libs/adapters/csv/invoice-export.csv';
import { taipeiClock, taipeiIsoDay } from '../../../libs/domain';
import { InvoiceRecord, InvoiceSummary } from '../../../libs/modules/invoices';

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

export const STATUS_LABELS: Record<string, string> = {
  issued: '已開立 issued',
  uploading: '上傳中 uploading',
  sent: '已送出 sent',
  accepted: '已接受 accepted',
  rejected: '被退回 rejected',
  voided: '已作廢 voided',
  cancelled_blank: '空白作廢 cancelled as blank',
};

/** A search row: what a list shows of an invoice, without its lines. */
export function invoiceSummaryView(invoice: InvoiceSummary) {
  return {
    sellerBan: invoice.sellerBan,
    sellerName: invoice.sellerName,
    number: invoice.invoiceNumber,
    billingNo: invoice.billingNo,
    period: invoice.period,
    channel: invoice.channelCode,
    issuedAt: invoice.issuedAt,
    invoiceType: invoice.invoiceType,
    taxType: invoice.taxType,
    buyer: { ban: invoice.buyerBan, name: invoice.buyerName },
    amounts: invoice.amounts,
    status: invoice.status,
    deadline: { state: invoice.deadlineState, dueAt: invoice.dueAt, legalDueAt: invoice.legalDueAt },
    sentAt: invoice.sentAt,
    acceptedAt: invoice.acceptedAt,
    voidedAt: invoice.voidedAt,
    allowances: invoice.allowances,
    lastError: invoice.lastError,
  };
}

const taipei = (instant: Date | null) => (instant ? `${taipeiIsoDay(instant)} ${taipeiClock(instant)}` : '');

/** A row of the CSV / xlsx export: times in Taipei, written out. */
export function invoiceExportRow(invoice: InvoiceSummary): InvoiceExportRow {
  return {
    sellerBan: invoice.sellerBan,
    sellerName: invoice.sellerName,
    number: invoice.invoiceNumber,
    issuedAt: taipei(invoice.issuedAt),
    period: invoice.period,
    billingNo: invoice.billingNo,
    channel: invoice.channelCode ?? '',
    buyerBan: invoice.buyerBan ?? '',
    buyerName: invoice.buyerName ?? '',
    sales: invoice.amounts.sales,
    zeroTaxSales: invoice.amounts.zeroTaxSales,
    freeTaxSales: invoice.amounts.freeTaxSales,
    tax: invoice.amounts.tax,
    total: invoice.amounts.total,
    status: STATUS_LABELS[invoice.status] ?? invoice.status,
    dueAt: invoice.deadlineState === 'done' ? '' : taipei(invoice.dueAt),
    sentAt: taipei(invoice.sentAt),
    acceptedAt: taipei(invoice.acceptedAt),
    voidedAt: taipei(invoice.voidedAt),
    allowances: invoice.allowances.live,
    allowanceTotal: invoice.allowances.total,
    error: invoice.lastError ? `${invoice.lastError.code} ${invoice.lastError.message}` : '',
  };
}
