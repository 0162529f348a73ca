import { DataSource } from 'typeorm';
import { DomainError } from '../domain';
import { InvoiceInput } from '../domain/invoice/invoice.types';
import { validateInvoiceInput } from '../domain/invoice/validate-invoice';
import { SellerEntity } from '../persistence/entities';
import { isUniqueViolation } from '../sellers/sellers.service';
import { InvoiceIssuer } from './invoice-issuer';
import { WorkflowStarter } from './workflow-starter';
import { payloadHash } from './payload-hash';

export interface InvoiceRow {
  id: string;
  invoice_number: string;
  billing_no: string;
  period: string;
  status: string;
  deadline_state: string;
  issued_at: Date;
  warn_at: Date;
  upload_due_at: Date;
  legal_due_at: Date;
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
  channel_code: string | null;
}

const INVOICE_COLUMNS = `i.*, c.code AS channel_code`;

/** Issuing by API and reading invoices back; the workflow side lives in activities/. */
export class InvoicesService {
  constructor(
    private readonly db: DataSource,
    private readonly issuer: InvoiceIssuer,
    private readonly starter: WorkflowStarter,
  ) {}

  /**
   * Idempotent on BillingNo: the same order again returns the invoice already issued (and makes sure its lifecycle
   * runs); a different order under an issued BillingNo is a conflict.
   */
  async issue(seller: SellerEntity, channelId: string | null, input: InvoiceInput, issuedAt = new Date()): Promise<{ invoice: InvoiceRow; created: boolean }> {
    const errors = validateInvoiceInput(input);
    if (errors.length > 0) {
      throw new DomainError('invalid', 'INVOICE.INVALID', `the invoice has ${errors.length} error(s): ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
    }
    const existing = await this.findLive(seller.id, input.billingNo);
    if (existing) return this.replay(seller, existing, input);
    try {
      const [record] = await this.db.transaction((manager) => this.issuer.issue(manager, seller, channelId, [{ input }], issuedAt));
      await this.starter.startLifecycle(seller.ban, record);
      return { invoice: (await this.findByNumber(seller, record.invoiceNumber))!, created: true };
    } catch (error) {
      // A concurrent request with the same BillingNo won the race; answer as a repeat of it.
      if (isUniqueViolation(error, 'invoices_live_billing_no')) {
        return this.replay(seller, (await this.findLive(seller.id, input.billingNo))!, input);
      }
      throw error;
    }
  }

  private async replay(seller: SellerEntity, existing: InvoiceRow, input: InvoiceInput): Promise<{ invoice: InvoiceRow; created: boolean }> {
    if (existing.payload_hash !== payloadHash(input)) {
      throw new DomainError(
        'conflict',
        'INVOICE.BILLING_NO_CONFLICT',
        `BillingNo ${input.billingNo} was already issued as ${existing.invoice_number} with different content`,
        [{ field: 'billingNo', code: 'INVOICE.BILLING_NO_CONFLICT', message: `already issued as ${existing.invoice_number}` }],
      );
    }
    await this.starter.startLifecycle(seller.ban, {
      invoiceId: existing.id,
      invoiceNumber: existing.invoice_number,
      warnAt: existing.warn_at,
      dueAt: existing.upload_due_at,
      legalDueAt: existing.legal_due_at,
      notifyBuyer: Boolean(existing.buyer_email),
    });
    return { invoice: existing, created: false };
  }

  private async findLive(sellerId: string, billingNo: string): Promise<InvoiceRow | undefined> {
    const rows: InvoiceRow[] = await this.db.query(
      `SELECT ${INVOICE_COLUMNS} FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id
        WHERE i.seller_id = $1 AND i.billing_no = $2 AND i.status NOT IN ('voided', 'cancelled_blank')`,
      [sellerId, billingNo],
    );
    return rows[0];
  }

  async findByNumber(seller: SellerEntity, invoiceNumber: string): Promise<InvoiceRow | undefined> {
    const rows: InvoiceRow[] = await this.db.query(
      `SELECT ${INVOICE_COLUMNS} FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id
        WHERE i.seller_id = $1 AND i.invoice_number = $2 ORDER BY i.issued_at DESC LIMIT 1`,
      [seller.id, invoiceNumber],
    );
    return rows[0];
  }

  async detail(seller: SellerEntity, invoiceNumber: string) {
    const invoice = await this.findByNumber(seller, invoiceNumber);
    if (!invoice) throw new DomainError('not_found', 'INVOICE.NOT_FOUND', `seller ${seller.ban} has no invoice ${invoiceNumber}`);
    const [timeline, uploads] = await Promise.all([
      this.db.query(`SELECT at, kind, detail FROM invoice_events WHERE invoice_id = $1 ORDER BY id`, [invoice.id]),
      this.db.query(
        `SELECT message_type AS "messageType", file_name AS "fileName", delivered_at AS "deliveredAt", outcome,
                error_code AS "errorCode", error_message AS "errorMessage", outcome_at AS "outcomeAt"
           FROM turnkey_uploads WHERE invoice_id = $1 ORDER BY delivered_at`,
        [invoice.id],
      ),
    ]);
    return { invoice, timeline, uploads };
  }

  /** Open deadlines of a seller (or all sellers), nearest first; served by the partial index on open deadlines. */
  async deadlines(filter: { sellerId?: string; states?: string[]; withinMs?: number; now?: Date; limit?: number }) {
    const now = filter.now ?? new Date();
    const params: unknown[] = [filter.states ?? ['on_time', 'due_soon', 'overdue', 'past_legal']];
    let where = `i.deadline_state <> 'done' AND i.deadline_state = ANY($1)`;
    if (filter.sellerId) {
      params.push(filter.sellerId);
      where += ` AND i.seller_id = $${params.length}`;
    }
    if (filter.withinMs !== undefined) {
      params.push(new Date(now.getTime() + filter.withinMs));
      where += ` AND i.upload_due_at <= $${params.length}`;
    }
    params.push(filter.limit ?? 500);
    return this.db.query(
      `SELECT ${INVOICE_COLUMNS} FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id
        WHERE ${where} ORDER BY i.upload_due_at LIMIT $${params.length}`,
      params,
    ) as Promise<InvoiceRow[]>;
  }

  async deadlineSummary(): Promise<{ ban: string; name: string; deadlineState: string; count: number; nextDueAt: Date }[]> {
    const rows = await this.db.query(
      `SELECT s.ban, s.name, i.deadline_state AS "deadlineState", count(*)::int AS count, min(i.upload_due_at) AS "nextDueAt"
         FROM invoices i JOIN sellers s ON s.id = i.seller_id
        WHERE i.deadline_state <> 'done'
        GROUP BY s.ban, s.name, i.deadline_state
        ORDER BY s.ban, i.deadline_state`,
    );
    return rows;
  }
}
