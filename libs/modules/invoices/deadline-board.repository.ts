import { DataSource } from 'typeorm';

/**
 * The dashboard's buckets, worst first: an item is shown once, in the first that fits. `unconfirmed` is a message
 * handed to Turnkey with no verdict yet (status `uploading`, or `sent` once Turnkey reports receipt).
 */
export const BOARD_BUCKETS = ['past_legal', 'overdue', 'rejected', 'due_soon', 'unconfirmed'] as const;
export type BoardBucket = (typeof BOARD_BUCKETS)[number];

export interface BoardItem {
  kind: 'invoice' | 'message';
  messageType: string;
  sellerBan: string;
  sellerName: string;
  channel: string | null;
  invoiceNumber: string;
  allowanceNumber: string | null;
  bucket: BoardBucket;
  status: string;
  dueAt: Date;
  legalDueAt: Date;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface BoardCount {
  sellerBan: string;
  sellerName: string;
  channel: string | null;
  bucket: BoardBucket;
  count: number;
  nextDueAt: Date;
}

const BUCKET_OF = (t: string) => `CASE
    WHEN ${t}.deadline_state = 'past_legal' THEN 'past_legal'
    WHEN ${t}.deadline_state = 'overdue' THEN 'overdue'
    WHEN ${t}.status = 'rejected' THEN 'rejected'
    WHEN ${t}.deadline_state = 'due_soon' THEN 'due_soon'
    ELSE 'unconfirmed' END`;
const ON_BOARD = (t: string) =>
  `${t}.deadline_state <> 'done' AND (${t}.deadline_state IN ('due_soon', 'overdue', 'past_legal') OR ${t}.status IN ('rejected', 'uploading', 'sent'))`;

/** Invoices and their follow-up messages on one board: every seller, the nearest due first. */
const BOARD = `
  SELECT 'invoice' AS kind, i.invoice_type AS "messageType", s.ban AS "sellerBan", s.name AS "sellerName", c.code AS channel,
         i.invoice_number AS "invoiceNumber", NULL AS "allowanceNumber", ${BUCKET_OF('i')} AS bucket, i.status,
         i.upload_due_at AS "dueAt", i.legal_due_at AS "legalDueAt", i.last_error_code AS "errorCode", i.last_error_message AS "errorMessage"
    FROM invoices i JOIN sellers s ON s.id = i.seller_id LEFT JOIN channels c ON c.id = i.channel_id
   WHERE ${ON_BOARD('i')}
  UNION ALL
  SELECT 'message', m.message_type, s.ban, s.name, c.code, i.invoice_number, a.allowance_number, ${BUCKET_OF('m')}, m.status,
         m.due_at, m.legal_due_at, m.last_error_code, m.last_error_message
    FROM invoice_messages m JOIN invoices i ON i.id = m.invoice_id JOIN sellers s ON s.id = i.seller_id
    LEFT JOIN channels c ON c.id = i.channel_id LEFT JOIN allowances a ON a.id = m.allowance_id
   WHERE ${ON_BOARD('m')}`;

/** Reads for the operations dashboard over `invoices` and `invoice_messages` (the invoice area's tables). */
export class DeadlineBoardRepository {
  constructor(private readonly db: DataSource) {}

  /** Nearest due first; ties in a stable order (number, then message), so pages follow each other without overlap. */
  async items(limit: number, offset = 0): Promise<BoardItem[]> {
    return this.db.query(
      `SELECT * FROM (${BOARD}) b ORDER BY "dueAt", "invoiceNumber", kind, "messageType", "allowanceNumber" NULLS FIRST LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
  }

  /** How many of each bucket per seller and channel, with the nearest due time of each. */
  async counts(): Promise<BoardCount[]> {
    return this.db.query(
      `SELECT "sellerBan", "sellerName", channel, bucket, count(*)::int AS count, min("dueAt") AS "nextDueAt"
         FROM (${BOARD}) b GROUP BY "sellerBan", "sellerName", channel, bucket ORDER BY min("dueAt")`,
    );
  }

  /**
   * Uploads not yet accepted (invoices and messages) falling due in each of the `hours` hours from `from` (an
   * hour's start): index 0 is [from, from + 1 h).
   */
  async dueByHour(from: Date, hours: number): Promise<number[]> {
    const rows: { hour: number; count: number }[] = await this.db.query(
      `SELECT floor(extract(epoch FROM (due - $1::timestamptz)) / 3600)::int AS hour, count(*)::int AS count
         FROM (SELECT upload_due_at AS due FROM invoices WHERE deadline_state <> 'done' AND upload_due_at >= $1 AND upload_due_at < $2
               UNION ALL
               SELECT due_at FROM invoice_messages WHERE deadline_state <> 'done' AND due_at >= $1 AND due_at < $2) d
        GROUP BY 1`,
      [from, new Date(from.getTime() + hours * 3600_000)],
    );
    const counts = new Array<number>(hours).fill(0);
    for (const row of rows) counts[row.hour] = row.count;
    return counts;
  }
}
