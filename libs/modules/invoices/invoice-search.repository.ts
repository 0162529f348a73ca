import { DataSource } from 'typeorm';
import { DeadlineState, LifecycleState } from '../../contracts/workflows';
import { DomainError } from '../../domain';
import { InvoiceRecord, PlatformError, errorOf } from './invoice.records';
import { INVOICE_FROM, INVOICE_SELECT, InvoiceRow, toInvoice } from './invoices.repository';

/** What a search's `status` may name: the lifecycle states, and `allowance` for an invoice with a live allowance. */
export const SEARCH_STATUSES = ['issued', 'uploading', 'sent', 'accepted', 'rejected', 'voided', 'cancelled_blank', 'allowance'] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];
export type SearchOrder = 'newest' | 'oldest';

export interface InvoiceSearch {
  period?: string;
  number?: string;
  billingNo?: string;
  buyerBan?: string;
  buyerName?: string;
  /** Any of these (SEARCH_STATUSES); `allowance` matches an invoice with at least one live allowance. */
  status?: string[];
  /** Channel codes: any of these. */
  channels?: string[];
  deadlineState?: string[];
  from?: Date;
  to?: Date;
  /** By issue time: newest first (the default) or oldest first. */
  order?: SearchOrder;
  cursor?: string;
  limit: number;
}

/** One row of a search list or export: what a person scans for, without the invoice's lines. */
export interface InvoiceSummary {
  id: string;
  sellerBan: string;
  sellerName: string;
  invoiceNumber: string;
  billingNo: string;
  period: string;
  channelCode: string | null;
  invoiceType: string;
  taxType: string;
  buyerBan: string | null;
  buyerName: string | null;
  issuedAt: Date;
  amounts: { sales: number; freeTaxSales: number; zeroTaxSales: number; tax: number; total: number };
  status: LifecycleState;
  deadlineState: DeadlineState;
  dueAt: Date;
  legalDueAt: Date;
  sentAt: Date | null;
  acceptedAt: Date | null;
  voidedAt: Date | null;
  lastError: PlatformError | null;
  /** The live allowances: how many, and their amount tax included. */
  allowances: { live: number; total: number };
}

export interface DeadlineFilter {
  sellerId?: string;
  states: string[];
  dueBefore: Date | null;
  limit: number;
}

interface SummaryRow {
  id: string;
  seller_ban: string;
  seller_name: string;
  invoice_number: string;
  billing_no: string;
  period: string;
  channel_code: string | null;
  invoice_type: string;
  tax_type: string;
  buyer_ban: string | null;
  buyer_name: string | null;
  issued_at: Date;
  sales_amount: string;
  free_tax_sales_amount: string;
  zero_tax_sales_amount: string;
  tax_amount: string;
  total_amount: string;
  status: LifecycleState;
  deadline_state: DeadlineState;
  upload_due_at: Date;
  legal_due_at: Date;
  sent_at: Date | null;
  accepted_at: Date | null;
  voided_at: Date | null;
  last_error_code: string | null;
  last_error_message: string | null;
  live_allowances: number;
  allowance_total: string;
}

const toSummary = (row: SummaryRow): InvoiceSummary => ({
  id: row.id,
  sellerBan: row.seller_ban,
  sellerName: row.seller_name,
  invoiceNumber: row.invoice_number,
  billingNo: row.billing_no,
  period: row.period,
  channelCode: row.channel_code,
  invoiceType: row.invoice_type,
  taxType: row.tax_type,
  buyerBan: row.buyer_ban,
  buyerName: row.buyer_name,
  issuedAt: row.issued_at,
  amounts: {
    sales: Number(row.sales_amount),
    freeTaxSales: Number(row.free_tax_sales_amount),
    zeroTaxSales: Number(row.zero_tax_sales_amount),
    tax: Number(row.tax_amount),
    total: Number(row.total_amount),
  },
  status: row.status,
  deadlineState: row.deadline_state,
  dueAt: row.upload_due_at,
  legalDueAt: row.legal_due_at,
  sentAt: row.sent_at,
  acceptedAt: row.accepted_at,
  voidedAt: row.voided_at,
  lastError: errorOf(row.last_error_code, row.last_error_message),
  allowances: { live: row.live_allowances, total: Number(row.allowance_total) },
});

const SUMMARY_SELECT = `i.id, se.ban AS seller_ban, se.name AS seller_name, i.invoice_number, i.billing_no, i.period, c.code AS channel_code,
       i.invoice_type, i.tax_type, i.buyer_ban, i.buyer_name, i.issued_at, i.sales_amount, i.free_tax_sales_amount,
       i.zero_tax_sales_amount, i.tax_amount, i.total_amount, i.status, i.deadline_state, i.upload_due_at, i.legal_due_at,
       i.sent_at, i.accepted_at, i.voided_at, i.last_error_code, i.last_error_message, al.live AS live_allowances, al.total AS allowance_total`;
const SUMMARY_JOINS = `JOIN sellers se ON se.id = i.seller_id LEFT JOIN channels c ON c.id = i.channel_id
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS live, coalesce(sum(a.taxable_amount + a.zero_tax_amount + a.free_tax_amount + a.tax_amount), 0) AS total
      FROM allowances a WHERE a.invoice_id = i.id AND a.status = 'live') al`;

const orderBy = (order: SearchOrder, t = 'i') => (order === 'oldest' ? `${t}.issued_at, ${t}.id` : `${t}.issued_at DESC, ${t}.id DESC`);

function encodeCursor(order: SearchOrder, issuedAt: Date, id: string): string {
  return Buffer.from(`${issuedAt.toISOString()}|${id}|${order}`).toString('base64url');
}

function badCursor(message: string): DomainError {
  return new DomainError('invalid', 'SEARCH.CURSOR', message, [{ field: 'cursor', code: 'SEARCH.CURSOR', message: 'pass nextCursor from the previous page unchanged' }]);
}

/** Cursors made before the sort existed carry no order: they were newest first. */
function decodeCursor(cursor: string, order: SearchOrder): [Date, string] {
  const [at, id, made = 'newest'] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1912 || year > 9999 || !/^[0-9a-f-]{36}$/i.test(id ?? '') || (made !== 'newest' && made !== 'oldest')) {
    throw badCursor('the cursor is not one this API returned');
  }
  if (made !== order) throw badCursor(`the cursor belongs to sort=${made}; start from the first page for sort=${order}`);
  return [date, id];
}

/**
 * The WHERE conditions of a search on `invoices i` (with `channels c` joined), its parameters appended to `params`.
 * Every condition is an index condition or a filter on rows an index already yields in order.
 */
function conditions(filter: InvoiceSearch, params: unknown[]): string[] {
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.period) add('i.period = ?', filter.period);
  if (filter.number) add('i.invoice_number = ?', filter.number.toUpperCase());
  if (filter.billingNo) add('i.billing_no = ?', filter.billingNo);
  if (filter.buyerBan) add('i.buyer_ban = ?', filter.buyerBan);
  if (filter.buyerName) add(`i.buyer_name ILIKE ?`, `%${filter.buyerName.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const states = filter.status?.filter((s) => s !== 'allowance') ?? [];
  // EXISTS, not IN: a correlated EXISTS becomes a semi-join, driven from the (few) live allowances when that is cheaper.
  const withAllowance = `EXISTS (SELECT 1 FROM allowances a WHERE a.seller_id = i.seller_id AND a.invoice_id = i.id AND a.status = 'live')`;
  if (filter.status?.includes('allowance')) {
    if (states.length > 0) add(`(i.status = ANY(?) OR ${withAllowance})`, states);
    else where.push(withAllowance);
  } else if (states.length > 0) add('i.status = ANY(?)', states);
  if (filter.channels) add('c.code = ANY(?)', filter.channels);
  if (filter.deadlineState) add('i.deadline_state = ANY(?)', filter.deadlineState);
  if (filter.from) add('i.issued_at >= ?', filter.from);
  if (filter.to) add('i.issued_at < ?', filter.to);
  if (filter.cursor) {
    const order = filter.order ?? 'newest';
    const [at, id] = decodeCursor(filter.cursor, order);
    params.push(at, id);
    where.push(`(i.issued_at, i.id) ${order === 'oldest' ? '>' : '<'} ($${params.length - 1}, $${params.length})`);
  }
  return where;
}

/** Reads of invoices for screens (Einv120 search, deadline lists); every filter is served by an index. */
export class InvoiceSearchRepository {
  constructor(private readonly db: DataSource) {}

  /** One seller's invoices, whole records, paged by a cursor (issued_at, id) so a page costs the same at any depth. */
  async search(sellerId: string, filter: InvoiceSearch): Promise<{ invoices: InvoiceRecord[]; nextCursor: string | null }> {
    const params: unknown[] = [sellerId];
    const where = ['i.seller_id = $1', ...conditions(filter, params)];
    params.push(filter.limit + 1);
    const rows: InvoiceRow[] = await this.db.query(
      `SELECT ${INVOICE_SELECT} FROM ${INVOICE_FROM} WHERE ${where.join(' AND ')} ORDER BY ${orderBy(filter.order ?? 'newest')} LIMIT $${params.length}`,
      params,
    );
    return this.paged(rows.map(toInvoice), filter);
  }

  /**
   * Sellers' invoices as summaries, one page in one query. For several sellers each one's first `limit + 1` matches
   * come from its own index scan (which stops there) and the page is the top of those, so a page reads at most
   * sellers × (limit + 1) index entries at any depth; one seller's page is that index scan alone.
   */
  async list(sellerIds: string[], filter: InvoiceSearch): Promise<{ invoices: InvoiceSummary[]; nextCursor: string | null }> {
    const order = filter.order ?? 'newest';
    const params: unknown[] = [sellerIds.length === 1 ? sellerIds[0] : sellerIds];
    const where = [sellerIds.length === 1 ? 'i.seller_id = $1' : 'i.seller_id = s.id', ...conditions(filter, params)];
    params.push(filter.limit + 1);
    const limit = `$${params.length}`;
    const rows: SummaryRow[] = await this.db.query(
      sellerIds.length === 1
        ? `SELECT ${SUMMARY_SELECT} FROM invoices i ${SUMMARY_JOINS} WHERE ${where.join(' AND ')} ORDER BY ${orderBy(order)} LIMIT ${limit}`
        : `WITH page AS (
             SELECT p.id, p.issued_at FROM unnest($1::uuid[]) AS s(id)
             CROSS JOIN LATERAL (
               SELECT i.id, i.issued_at FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id
                WHERE ${where.join(' AND ')} ORDER BY ${orderBy(order)} LIMIT ${limit}) p
             ORDER BY ${orderBy(order, 'p')} LIMIT ${limit})
           SELECT ${SUMMARY_SELECT} FROM page JOIN invoices i ON i.id = page.id ${SUMMARY_JOINS}
            ORDER BY ${orderBy(order)}`,
      params,
    );
    return this.paged(rows.map(toSummary), filter);
  }

  /** How many invoices of these sellers match, cursor aside: what an export is about to write. */
  async count(sellerIds: string[], filter: Omit<InvoiceSearch, 'cursor' | 'limit'>): Promise<number> {
    const params: unknown[] = [sellerIds];
    const where = ['i.seller_id = ANY($1)', ...conditions({ ...filter, limit: 0 }, params)];
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id WHERE ${where.join(' AND ')}`, params);
    return row.n;
  }

  /**
   * Every match, in the search's order, read in pages of `pageSize` per seller and merged here: each invoice is read
   * once, however many sellers there are, and memory holds one page per seller.
   */
  async *all(sellerIds: string[], filter: Omit<InvoiceSearch, 'cursor' | 'limit'>, pageSize = 2000): AsyncGenerator<InvoiceSummary> {
    const order = filter.order ?? 'newest';
    const feeds = sellerIds.map((sellerId) => ({ sellerId, rows: [] as InvoiceSummary[], cursor: undefined as string | undefined, done: false }));
    const refill = async (feed: (typeof feeds)[number]) => {
      const page = await this.list([feed.sellerId], { ...filter, cursor: feed.cursor, limit: pageSize });
      feed.rows = page.invoices;
      feed.cursor = page.nextCursor ?? undefined;
      feed.done = page.nextCursor === null;
    };
    await Promise.all(feeds.map(refill));
    const before = (a: InvoiceSummary, b: InvoiceSummary) => {
      const byTime = a.issuedAt.getTime() - b.issuedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      return order === 'oldest' ? byTime < 0 : byTime > 0;
    };
    for (;;) {
      let next: (typeof feeds)[number] | undefined;
      for (const feed of feeds) if (feed.rows.length > 0 && (!next || before(feed.rows[0], next.rows[0]))) next = feed;
      if (!next) return;
      yield next.rows.shift()!;
      if (next.rows.length === 0 && !next.done) await refill(next);
    }
  }

  private paged<T extends { id: string; issuedAt: Date }>(rows: T[], filter: InvoiceSearch): { invoices: T[]; nextCursor: string | null } {
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return { invoices: page, nextCursor: rows.length > filter.limit && last ? encodeCursor(filter.order ?? 'newest', last.issuedAt, last.id) : null };
  }

  /** Open deadlines of a seller (or all sellers), nearest first; served by the partial index on open deadlines. */
  async openDeadlines(filter: DeadlineFilter): Promise<InvoiceRecord[]> {
    const { states } = filter;
    // With one state the index yields rows already in due order and the LIMIT stops the scan early; ANY() sorts all.
    const params: unknown[] = [states.length === 1 ? states[0] : states];
    let where = `i.deadline_state <> 'done' AND i.deadline_state ${states.length === 1 ? '= $1' : '= ANY($1)'}`;
    if (filter.sellerId) {
      params.push(filter.sellerId);
      where += ` AND i.seller_id = $${params.length}`;
    }
    if (filter.dueBefore) {
      params.push(filter.dueBefore);
      where += ` AND i.upload_due_at <= $${params.length}`;
    }
    params.push(filter.limit);
    const rows: InvoiceRow[] = await this.db.query(`SELECT ${INVOICE_SELECT} FROM ${INVOICE_FROM} WHERE ${where} ORDER BY i.upload_due_at LIMIT $${params.length}`, params);
    return rows.map(toInvoice);
  }

  async deadlineSummary(): Promise<{ ban: string; name: string; deadlineState: string; count: number; nextDueAt: Date }[]> {
    return this.db.query(
      `SELECT s.ban, s.name, i.deadline_state AS "deadlineState", count(*)::int AS count, min(i.upload_due_at) AS "nextDueAt"
         FROM invoices i JOIN sellers s ON s.id = i.seller_id
        WHERE i.deadline_state <> 'done'
        GROUP BY s.ban, s.name, i.deadline_state
        ORDER BY s.ban, i.deadline_state`,
    );
  }
}
