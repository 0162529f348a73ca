import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../domain';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { validateInvoiceInput } from '../../domain/invoice/validate-invoice';
import { SellerEntity } from '../../infra/persistence/entities';
import { isUniqueViolation } from '../sellers/sellers.service';
import { InvoiceIssuer } from './invoice-issuer';
import { LifecycleRecord, WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { invoiceFacts } from '../../contracts/invoice-facts';
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
  void_reason: string | null;
  void_approval_number: string | null;
  voided_at: Date | null;
  void_request_key: string | null;
}

const INVOICE_COLUMNS = `i.*, c.code AS channel_code`;

/** What a lifecycle workflow starts from, as stored. */
function lifecycleRecord(row: InvoiceRow): LifecycleRecord {
  return {
    invoiceId: row.id,
    invoiceNumber: row.invoice_number,
    warnAt: row.warn_at,
    dueAt: row.upload_due_at,
    legalDueAt: row.legal_due_at,
    notifyBuyer: Boolean(row.buyer_email),
    facts: invoiceFacts(row.payload, row.period),
  };
}

export interface InvoiceSearch {
  period?: string;
  number?: string;
  billingNo?: string;
  buyerBan?: string;
  buyerName?: string;
  status?: string[];
  deadlineState?: string[];
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

function encodeCursor(issuedAt: Date, id: string): string {
  return Buffer.from(`${issuedAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1912 || year > 9999 || !/^[0-9a-f-]{36}$/i.test(id ?? '')) {
    throw new DomainError('invalid', 'SEARCH.CURSOR', 'the cursor is not one this API returned', [
      { field: 'cursor', code: 'SEARCH.CURSOR', message: 'pass nextCursor from the previous page unchanged' },
    ]);
  }
  return [date, id];
}

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

  /**
   * Invoices committed whose lifecycle never began (the process died between the commit and the workflow start):
   * issued, never delivered, and older than `olderThanMs` so that a start in progress is not raced.
   */
  async unstartedLifecycles(olderThanMs: number, limit = 500): Promise<(LifecycleRecord & { sellerBan: string })[]> {
    const rows: (InvoiceRow & { seller_ban: string })[] = await this.db.query(
      `SELECT i.*, s.ban AS seller_ban FROM invoices i JOIN sellers s ON s.id = i.seller_id
        WHERE i.status = 'issued' AND i.created_at < now() - make_interval(secs => $1::double precision / 1000)
          AND NOT EXISTS (SELECT 1 FROM turnkey_uploads u WHERE u.invoice_id = i.id)
        ORDER BY i.created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((row) => ({ sellerBan: row.seller_ban, ...lifecycleRecord(row) }));
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
    await this.starter.startLifecycle(seller.ban, lifecycleRecord(existing));
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

  async findByNumber(seller: SellerEntity, invoiceNumber: string, manager: EntityManager = this.db.manager): Promise<InvoiceRow | undefined> {
    const rows: InvoiceRow[] = await manager.query(
      `SELECT ${INVOICE_COLUMNS} FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id
        WHERE i.seller_id = $1 AND i.invoice_number = $2 ORDER BY i.issued_at DESC LIMIT 1`,
      [seller.id, invoiceNumber],
    );
    return rows[0];
  }

  /**
   * Einv120 search, newest first, paged by a cursor (issued_at, id) so a page costs the same at any depth; every
   * filter is served by an index that leads with the seller.
   */
  async search(seller: SellerEntity, filter: InvoiceSearch): Promise<{ invoices: InvoiceRow[]; nextCursor: string | null }> {
    const params: unknown[] = [seller.id];
    const where = ['i.seller_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.period) add('i.period = ?', filter.period);
    if (filter.number) add('i.invoice_number = ?', filter.number.toUpperCase());
    if (filter.billingNo) add('i.billing_no = ?', filter.billingNo);
    if (filter.buyerBan) add('i.buyer_ban = ?', filter.buyerBan);
    if (filter.buyerName) add(`i.buyer_name ILIKE ?`, `%${filter.buyerName.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (filter.status) add('i.status = ANY(?)', filter.status);
    if (filter.deadlineState) add('i.deadline_state = ANY(?)', filter.deadlineState);
    if (filter.from) add('i.issued_at >= ?', filter.from);
    if (filter.to) add('i.issued_at < ?', filter.to);
    if (filter.cursor) {
      const [at, id] = decodeCursor(filter.cursor);
      params.push(at, id);
      where.push(`(i.issued_at, i.id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows: InvoiceRow[] = await this.db.query(
      `SELECT ${INVOICE_COLUMNS} FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id
        WHERE ${where.join(' AND ')} ORDER BY i.issued_at DESC, i.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return { invoices: page, nextCursor: rows.length > filter.limit && last ? encodeCursor(last.issued_at, last.id) : null };
  }

  /** One snapshot: the invoice, its messages and uploads as they stood together, never a mix of before and after. */
  async detail(seller: SellerEntity, invoiceNumber: string) {
    return this.db.transaction('REPEATABLE READ', (manager) => this.detailIn(manager, seller, invoiceNumber));
  }

  private async detailIn(manager: EntityManager, seller: SellerEntity, invoiceNumber: string) {
    const invoice = await this.findByNumber(seller, invoiceNumber, manager);
    if (!invoice) throw new DomainError('not_found', 'INVOICE.NOT_FOUND', `seller ${seller.ban} has no invoice ${invoiceNumber}`);
    const [timeline, uploads, allowances, messages] = await Promise.all([
      manager.query(`SELECT at, kind, detail FROM invoice_events WHERE invoice_id = $1 ORDER BY id`, [invoice.id]),
      manager.query(
        `SELECT message_type AS "messageType", file_name AS "fileName", delivered_at AS "deliveredAt", outcome,
                error_code AS "errorCode", error_message AS "errorMessage", outcome_at AS "outcomeAt"
           FROM turnkey_uploads WHERE invoice_id = $1 ORDER BY delivered_at`,
        [invoice.id],
      ),
      manager.query(
        `SELECT allowance_number AS "number", allowance_date AS "date", reason, items AS lines, taxable_amount::float AS "taxableAmount",
                zero_tax_amount::float AS "zeroTaxAmount", free_tax_amount::float AS "freeTaxAmount", tax_amount::float AS "taxAmount",
                status, void_reason AS "voidReason", voided_at AS "voidedAt"
           FROM allowances WHERE invoice_id = $1 ORDER BY created_at`,
        [invoice.id],
      ),
      manager.query(
        `SELECT m.message_type AS "messageType", a.allowance_number AS "allowanceNumber", m.occurred_at AS "at", m.status,
                m.deadline_state AS "deadlineState", m.warn_at AS "warnAt", m.due_at AS "dueAt", m.legal_due_at AS "legalDueAt",
                m.last_error_code AS "errorCode", m.last_error_message AS "errorMessage"
           FROM invoice_messages m LEFT JOIN allowances a ON a.id = m.allowance_id WHERE m.invoice_id = $1 ORDER BY m.created_at`,
        [invoice.id],
      ),
    ]);
    return { invoice, timeline, uploads, allowances, messages };
  }

  /** Open deadlines of a seller (or all sellers), nearest first; served by the partial index on open deadlines. */
  async deadlines(filter: { sellerId?: string; states?: string[]; withinMs?: number; now?: Date; limit?: number }) {
    const now = filter.now ?? new Date();
    const states = filter.states ?? ['on_time', 'due_soon', 'overdue', 'past_legal'];
    // With one state the index yields rows already in due order and the LIMIT stops the scan early; ANY() sorts all.
    const params: unknown[] = [states.length === 1 ? states[0] : states];
    let where = `i.deadline_state <> 'done' AND i.deadline_state ${states.length === 1 ? '= $1' : '= ANY($1)'}`;
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

  /** Voids, allowances and allowance voids not yet accepted, by their own deadlines (counted from their own time). */
  async messageDeadlines(filter: { sellerId: string; states?: string[]; withinMs?: number; now?: Date; limit?: number }) {
    const now = filter.now ?? new Date();
    return this.db.query(
      `SELECT i.invoice_number AS "invoiceNumber", m.message_type AS "messageType", a.allowance_number AS "allowanceNumber",
              m.status, m.deadline_state AS "deadlineState", m.warn_at AS "warnAt", m.due_at AS "dueAt", m.legal_due_at AS "legalDueAt",
              m.last_error_code AS "errorCode", m.last_error_message AS "errorMessage"
         FROM invoice_messages m JOIN invoices i ON i.id = m.invoice_id LEFT JOIN allowances a ON a.id = m.allowance_id
        WHERE m.deadline_state <> 'done' AND m.deadline_state = ANY($1) AND i.seller_id = $2 AND ($3::timestamptz IS NULL OR m.due_at <= $3)
        ORDER BY m.due_at LIMIT $4`,
      [
        filter.states ?? ['on_time', 'due_soon', 'overdue', 'past_legal'],
        filter.sellerId,
        filter.withinMs === undefined ? null : new Date(now.getTime() + filter.withinMs),
        filter.limit ?? 500,
      ],
    );
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
