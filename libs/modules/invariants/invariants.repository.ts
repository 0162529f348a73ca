import { DataSource, EntityManager } from 'typeorm';
import { BOOKLET_SIZE } from '../../domain';

type Db = DataSource | EntityManager;

export type InvariantName =
  | 'numbers.duplicate'
  | 'numbers.out_of_range'
  | 'numbers.allocated_unused'
  | 'booklets.over_full'
  | 'invoices.without_lifecycle'
  | 'deadlines.off_the_lists';

/** Rows of the SQL checks below: each names the subject and says what is wrong with it. */
export interface InvariantRow {
  subject: string;
  message: string;
}

const SQL_CHECKS: { invariant: InvariantName; sql: string }[] = [
  {
    invariant: 'numbers.duplicate',
    sql: `SELECT invoice_number AS subject, 'handed out ' || count(*) || ' times in period ' || period AS message
            FROM allocated_numbers GROUP BY seller_id, period, invoice_number HAVING count(*) > 1
          UNION ALL
          SELECT invoice_number, 'on ' || count(*) || ' invoices in period ' || period
            FROM invoices GROUP BY seller_id, period, invoice_number HAVING count(*) > 1`,
  },
  {
    // A number must be its booklet's (track + start + seq), below the booklet's next_seq, inside the MOF range.
    invariant: 'numbers.out_of_range',
    sql: `SELECT a.invoice_number AS subject,
                 'not number ' || a.seq || ' of booklet ' || b.track || lpad(b.start_no::text, 8, '0') || ' (next_seq ' || b.next_seq || ')' AS message
            FROM allocated_numbers a JOIN booklets b ON b.id = a.booklet_id
           WHERE a.invoice_number <> b.track || lpad((b.start_no + a.seq)::text, 8, '0')
              OR a.seq >= b.next_seq OR a.period <> b.period OR a.seller_id <> b.seller_id
          UNION ALL
          SELECT b.track || lpad(b.start_no::text, 8, '0'), 'booklet lies outside its MOF range ' || t.track || t.start_no || '–' || t.end_no
            FROM booklets b JOIN track_ranges t ON t.id = b.track_range_id
           WHERE b.start_no < t.start_no OR b.start_no + ${BOOKLET_SIZE - 1} > t.end_no OR b.track <> t.track
              OR b.period <> t.period OR b.seller_id <> t.seller_id
          UNION ALL
          SELECT i.invoice_number, 'the invoice has no allocated number at booklet seq ' || i.seq
            FROM invoices i LEFT JOIN allocated_numbers a ON a.booklet_id = i.booklet_id AND a.seq = i.seq
           WHERE a.booklet_id IS NULL OR a.invoice_number <> i.invoice_number`,
  },
  {
    // Issuing allocates and inserts the invoice in one transaction: a number with no invoice was half-written.
    invariant: 'numbers.allocated_unused',
    sql: `SELECT a.invoice_number AS subject, 'allocated at ' || a.allocated_at || ' but neither used by an invoice nor cancelled as blank' AS message
            FROM allocated_numbers a LEFT JOIN invoices i ON i.booklet_id = a.booklet_id AND i.seq = a.seq
           WHERE i.id IS NULL`,
  },
  {
    // used = invoices on the booklet (voided ones are used too); blank = the unallocated tail (a third party's:
    // from its blank start) plus numbers cancelled as blank. Counted independently, they cannot exceed 50; nor can
    // the numbers handed out (each used, cancelled as blank or unused) with the blank tail.
    invariant: 'booklets.over_full',
    sql: `SELECT b.track || lpad(b.start_no::text, 8, '0') AS subject,
                 'used ' || u.used || ' + blank ' || (u.cancelled + tail.blank) || ' > ${BOOKLET_SIZE}' ||
                 CASE WHEN u.allocated > b.next_seq THEN ' (' || u.allocated || ' numbers allocated, next_seq ' || b.next_seq || ')' ELSE '' END AS message
            FROM booklets b
            CROSS JOIN LATERAL (
              SELECT count(*) FILTER (WHERE i.status <> 'cancelled_blank') AS used,
                     count(*) FILTER (WHERE i.status = 'cancelled_blank') AS cancelled,
                     (SELECT count(*) FROM allocated_numbers a WHERE a.booklet_id = b.id) AS allocated
                FROM invoices i WHERE i.booklet_id = b.id) u
            CROSS JOIN LATERAL (
              SELECT CASE WHEN b.third_party IS NULL THEN ${BOOKLET_SIZE} - b.next_seq
                          WHEN b.blank_start IS NULL THEN 0
                          ELSE b.start_no + ${BOOKLET_SIZE} - b.blank_start END AS blank) tail
           WHERE u.used + u.cancelled + tail.blank > ${BOOKLET_SIZE}
              OR u.allocated + tail.blank > ${BOOKLET_SIZE} OR u.allocated > b.next_seq`,
  },
  {
    // Until it is accepted (or voided, or cancelled as blank) an invoice is on the deadline lists; so is a message.
    invariant: 'deadlines.off_the_lists',
    sql: `SELECT invoice_number AS subject, 'status ' || status || ' but off the deadline lists (deadline_state done)' AS message
            FROM invoices WHERE deadline_state = 'done' AND status NOT IN ('accepted', 'voided', 'cancelled_blank')
          UNION ALL
          SELECT i.invoice_number || ' ' || m.message_type || ' ' || m.id, 'message ' || m.status || ' but off the deadline lists (deadline_state done)'
            FROM invoice_messages m JOIN invoices i ON i.id = m.invoice_id
           WHERE m.deadline_state = 'done' AND m.status <> 'accepted'`,
  },
];

/**
 * Invoices with something still to upload (the invoice itself, or a void / allowance message): each must have a
 * running lifecycle workflow, or nobody will ever upload it.
 */
const OPEN_INVOICES = `
  SELECT s.ban, i.invoice_number AS number, i.status
    FROM invoices i JOIN sellers s ON s.id = i.seller_id
   WHERE i.deadline_state <> 'done' OR i.status IN ('issued', 'uploading', 'rejected')
      OR EXISTS (SELECT 1 FROM invoice_messages m WHERE m.invoice_id = i.id AND m.status <> 'accepted')
   ORDER BY s.ban, i.invoice_number`;

/** The read-only SQL of the invariants: it reads the numbers, invoice and message tables as they are. */
export class InvariantsRepository {
  constructor(private readonly db: Db) {}

  /** Each SQL-checked invariant with the rows that break it. */
  async sqlViolations(): Promise<{ invariant: InvariantName; rows: InvariantRow[] }[]> {
    const found: { invariant: InvariantName; rows: InvariantRow[] }[] = [];
    for (const { invariant, sql } of SQL_CHECKS) found.push({ invariant, rows: await this.db.query(sql) });
    return found;
  }

  async openInvoices(): Promise<{ ban: string; number: string; status: string }[]> {
    return this.db.query(OPEN_INVOICES);
  }
}
