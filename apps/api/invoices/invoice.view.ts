import { InvoiceRow } from '../../../libs/modules/invoices/invoices.service';

/** The API's view of an invoice: the order as issued, its amounts, status and both deadlines. */
export function invoiceView(row: InvoiceRow) {
  return {
    number: row.invoice_number,
    billingNo: row.billing_no,
    period: row.period,
    channel: row.channel_code,
    issuedAt: row.issued_at,
    randomNumber: row.random_number,
    invoiceType: row.invoice_type,
    taxType: row.tax_type,
    buyer: { ban: row.buyer_ban, name: row.buyer_name, email: row.buyer_email },
    amounts: {
      sales: Number(row.sales_amount),
      freeTaxSales: Number(row.free_tax_sales_amount),
      zeroTaxSales: Number(row.zero_tax_sales_amount),
      tax: Number(row.tax_amount),
      total: Number(row.total_amount),
    },
    lines: row.payload.lines,
    status: row.status,
    deadline: { state: row.deadline_state, warnAt: row.warn_at, dueAt: row.upload_due_at, legalDueAt: row.legal_due_at },
    acceptedAt: row.accepted_at,
    lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message } : null,
  };
}
