import { DataSource, EntityManager } from 'typeorm';
import { DeadlineState, LifecycleState } from '../../contracts/workflows';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { invoiceTypeOf } from '../../domain/track-file';
import { InvoiceRecord, InvoiceWithSeller, errorOf } from './invoice.records';

type Db = DataSource | EntityManager;

/** The columns every invoice read selects: the invoice and its channel's code. */
export const INVOICE_SELECT = `i.*, c.code AS channel_code`;
export const INVOICE_FROM = `invoices i LEFT JOIN channels c ON c.id = i.channel_id`;

export interface InvoiceRow {
  id: string;
  seller_id: string;
  channel_id: string | null;
  channel_code: string | null;
  invoice_number: string;
  billing_no: string;
  period: string;
  status: LifecycleState;
  deadline_state: DeadlineState;
  issued_at: Date;
  warn_at: Date;
  upload_due_at: Date;
  legal_due_at: Date;
  sent_at: Date | null;
  accepted_at: Date | null;
  payload: InvoiceInput;
  payload_hash: string;
  random_number: string;
  invoice_type: string;
  tax_type: string;
  buyer_ban: string | null;
  buyer_name: string | null;
  buyer_email: string | null;
  sales_amount: string;
  free_tax_sales_amount: string;
  zero_tax_sales_amount: string;
  tax_amount: string;
  total_amount: string;
  last_error_code: string | null;
  last_error_message: string | null;
  void_reason: string | null;
  void_approval_number: string | null;
  voided_at: Date | null;
  void_request_key: string | null;
}

export function toInvoice(row: InvoiceRow): InvoiceRecord {
  return {
    id: row.id,
    sellerId: row.seller_id,
    channelId: row.channel_id,
    channelCode: row.channel_code ?? null,
    period: row.period,
    invoiceNumber: row.invoice_number,
    billingNo: row.billing_no,
    invoiceType: row.invoice_type,
    taxType: row.tax_type,
    buyerBan: row.buyer_ban,
    buyerName: row.buyer_name,
    buyerEmail: row.buyer_email,
    issuedAt: row.issued_at,
    randomNumber: row.random_number,
    amounts: {
      sales: Number(row.sales_amount),
      freeTaxSales: Number(row.free_tax_sales_amount),
      zeroTaxSales: Number(row.zero_tax_sales_amount),
      tax: Number(row.tax_amount),
      total: Number(row.total_amount),
    },
    payload: row.payload,
    payloadHash: row.payload_hash,
    status: row.status,
    deadlineState: row.deadline_state,
    warnAt: row.warn_at,
    dueAt: row.upload_due_at,
    legalDueAt: row.legal_due_at,
    sentAt: row.sent_at,
    acceptedAt: row.accepted_at,
    lastError: errorOf(row.last_error_code, row.last_error_message),
    voidReason: row.void_reason,
    voidApprovalNumber: row.void_approval_number,
    voidedAt: row.voided_at,
    voidRequestKey: row.void_request_key,
  };
}

export interface NewInvoice {
  sellerId: string;
  channelId: string | null;
  bookletId: string;
  seq: number;
  period: string;
  invoiceNumber: string;
  input: InvoiceInput;
  payloadHash: string;
  issuedAt: Date;
  randomNumber: string;
  amounts: { salesAmount: number; freeTaxSalesAmount: number; zeroTaxSalesAmount: number; taxAmount: number; totalAmount: number };
  dueAt: Date;
  legalDueAt: Date;
  warnAt: Date;
  importRef?: { importId: string; ordinal: number };
}

export interface InvoiceVoid {
  status: 'voided' | 'cancelled_blank';
  reason: string;
  approvalNumber: string | null;
  voidedAt: Date;
  requestKey: string;
}

/** The SQL of `invoices`, `invoice_events` and `invoice_notifications`. */
export class InvoicesRepository {
  constructor(private readonly db: DataSource) {}

  async insert(manager: EntityManager, invoice: NewInvoice): Promise<string> {
    const { input, amounts } = invoice;
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO invoices (seller_id, channel_id, booklet_id, seq, period, invoice_number, billing_no, invoice_type, tax_type,
                             buyer_ban, buyer_name, buyer_email, issued_at, random_number, sales_amount, free_tax_sales_amount,
                             zero_tax_sales_amount, tax_amount, total_amount, payload, payload_hash, upload_due_at, legal_due_at,
                             warn_at, import_id, import_ordinal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
       RETURNING id`,
      [
        invoice.sellerId, invoice.channelId, invoice.bookletId, invoice.seq, invoice.period, invoice.invoiceNumber, input.billingNo,
        invoiceTypeOf(input), input.taxType, input.buyer.ban ?? null, input.buyer.name ?? null, input.buyer.email ?? null,
        invoice.issuedAt, invoice.randomNumber, amounts.salesAmount, amounts.freeTaxSalesAmount, amounts.zeroTaxSalesAmount,
        amounts.taxAmount, amounts.totalAmount, JSON.stringify(input), invoice.payloadHash, invoice.dueAt, invoice.legalDueAt, invoice.warnAt,
        invoice.importRef?.importId ?? null, invoice.importRef?.ordinal ?? null,
      ],
    );
    return row.id;
  }

  async addEvent(manager: Db, invoiceId: string, kind: string, detail: object = {}): Promise<void> {
    await manager.query(`INSERT INTO invoice_events (invoice_id, kind, detail) VALUES ($1, $2, $3)`, [invoiceId, kind, JSON.stringify(detail)]);
  }

  async timeline(manager: Db, invoiceId: string): Promise<{ at: Date; kind: string; detail: object }[]> {
    return manager.query(`SELECT at, kind, detail FROM invoice_events WHERE invoice_id = $1 ORDER BY id`, [invoiceId]);
  }

  /** With the seller's name and address; `lock` takes the invoice's row lock for the caller's transaction. */
  async withSeller(invoiceId: string, manager: Db = this.db, lock = false): Promise<InvoiceWithSeller | undefined> {
    const [row]: (InvoiceRow & { seller_ban: string; seller_name: string; seller_address: string | null })[] = await manager.query(
      `SELECT i.*, s.ban AS seller_ban, s.name AS seller_name, s.address AS seller_address
         FROM invoices i JOIN sellers s ON s.id = i.seller_id WHERE i.id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [invoiceId],
    );
    return row && { ...toInvoice(row), seller: { ban: row.seller_ban, name: row.seller_name, address: row.seller_address } };
  }

  async findByNumber(sellerId: string, invoiceNumber: string, manager: Db = this.db): Promise<InvoiceRecord | undefined> {
    const [row]: InvoiceRow[] = await manager.query(
      `SELECT ${INVOICE_SELECT} FROM ${INVOICE_FROM} WHERE i.seller_id = $1 AND i.invoice_number = $2 ORDER BY i.issued_at DESC LIMIT 1`,
      [sellerId, invoiceNumber],
    );
    return row && toInvoice(row);
  }

  /** The invoice an order (BillingNo) is live as: voided and blank-cancelled ones free the BillingNo. */
  async findLive(sellerId: string, billingNo: string): Promise<InvoiceRecord | undefined> {
    const [row]: InvoiceRow[] = await this.db.query(
      `SELECT ${INVOICE_SELECT} FROM ${INVOICE_FROM}
        WHERE i.seller_id = $1 AND i.billing_no = $2 AND i.status NOT IN ('voided', 'cancelled_blank')`,
      [sellerId, billingNo],
    );
    return row && toInvoice(row);
  }

  /** BillingNo → invoice number of those already live among `billingNos`. */
  async liveNumbers(sellerId: string, billingNos: string[], manager: Db = this.db): Promise<Map<string, string>> {
    const rows: { billing_no: string; invoice_number: string }[] = await manager.query(
      `SELECT billing_no, invoice_number FROM invoices
        WHERE seller_id = $1 AND billing_no = ANY($2) AND status NOT IN ('voided', 'cancelled_blank')`,
      [sellerId, billingNos],
    );
    return new Map(rows.map((row) => [row.billing_no, row.invoice_number]));
  }

  /** Issued, never delivered, and committed more than `olderThanMs` ago. */
  async unstarted(olderThanMs: number, limit: number): Promise<(InvoiceRecord & { sellerBan: string })[]> {
    const rows: (InvoiceRow & { seller_ban: string })[] = await this.db.query(
      `SELECT i.*, s.ban AS seller_ban FROM invoices i JOIN sellers s ON s.id = i.seller_id
        WHERE i.status = 'issued' AND i.created_at < now() - make_interval(secs => $1::double precision / 1000)
          AND NOT EXISTS (SELECT 1 FROM turnkey_uploads u WHERE u.invoice_id = i.id)
        ORDER BY i.created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((row) => ({ ...toInvoice(row), sellerBan: row.seller_ban }));
  }

  /** True when the state changed (a deadline state is raised once, and never after the upload is done). */
  async markDeadline(manager: EntityManager, invoiceId: string, state: DeadlineState): Promise<boolean> {
    const [rows] = await manager.query(`UPDATE invoices SET deadline_state = $2 WHERE id = $1 AND deadline_state NOT IN ('done', $2) RETURNING id`, [invoiceId, state]);
    return rows.length > 0;
  }

  async updatePayload(invoiceId: string, payload: InvoiceInput): Promise<void> {
    await this.db.query(`UPDATE invoices SET payload = $2, buyer_name = $3 WHERE id = $1`, [invoiceId, JSON.stringify(payload), payload.buyer.name ?? null]);
  }

  async recordVoid(manager: EntityManager, invoiceId: string, change: InvoiceVoid): Promise<void> {
    await manager.query(
      `UPDATE invoices SET status = $2, void_reason = $3, void_approval_number = $4, voided_at = $5, void_request_key = $6, deadline_state = 'done'
        WHERE id = $1`,
      [invoiceId, change.status, change.reason, change.approvalNumber, change.voidedAt, change.requestKey],
    );
  }

  /** The invoice number a void request key was already spent on, if any. */
  async voidKeyUsedBy(manager: EntityManager, sellerId: string, key: string): Promise<string | undefined> {
    const [row] = await manager.query(`SELECT invoice_number FROM invoices WHERE seller_id = $1 AND void_request_key = $2`, [sellerId, key]);
    return row?.invoice_number;
  }

  async notificationSent(invoiceId: string): Promise<boolean> {
    const [row] = await this.db.query(`SELECT 1 FROM invoice_notifications WHERE invoice_id = $1`, [invoiceId]);
    return Boolean(row);
  }

  async recordNotification(invoiceId: string, recipient: string, messageId: string): Promise<void> {
    await this.db.query(`INSERT INTO invoice_notifications (invoice_id, recipient, message_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [invoiceId, recipient, messageId]);
  }
}
