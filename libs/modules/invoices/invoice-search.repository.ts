import { DataSource } from 'typeorm';
import { DomainError } from '../../domain';
import { InvoiceRecord } from './invoice.records';
import { INVOICE_FROM, INVOICE_SELECT, InvoiceRow, toInvoice } from './invoices.repository';

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

export interface DeadlineFilter {
  sellerId?: string;
  states: string[];
  dueBefore: Date | null;
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

/** Reads of invoices for screens (Einv120 search, deadline lists); every filter is served by an index. */
export class InvoiceSearchRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first, paged by a cursor (issued_at, id) so a page costs the same at any depth. */
  async search(sellerId: string, filter: InvoiceSearch): Promise<{ invoices: InvoiceRecord[]; nextCursor: string | null }> {
    const params: unknown[] = [sellerId];
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
      `SELECT ${INVOICE_SELECT} FROM ${INVOICE_FROM} WHERE ${where.join(' AND ')} ORDER BY i.issued_at DESC, i.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, filter.limit).map(toInvoice);
    const last = page[page.length - 1];
    return { invoices: page, nextCursor: rows.length > filter.limit && last ? encodeCursor(last.issuedAt, last.id) : null };
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
