import { DataSource } from 'typeorm';
import { BOOKLET_SIZE, BlankKind, BookletUsage, InvoiceTypeCode } from '../../domain';

/** One row of EINV450: a blank, blank-cancelled or skipped number. */
export interface BlankNumberRow {
  period: string;
  invoiceNumber: string;
  /** Set for a number cancelled as blank: the invoice it was issued on. */
  invoiceDate: Date | null;
  voidDate: Date | null;
  /** 部門: the channel holding the booklet or the number. */
  channel: string | null;
  /** 操作者: the third party holding the booklet; the system records no person for the other kinds. */
  operator: string | null;
  kind: BlankKind;
  skipped: boolean;
}

export interface BookletKey {
  track: string;
  start: number;
}

interface UsageRow {
  id: string;
  invoice_type: InvoiceTypeCode;
  track: string;
  start_no: number;
  third_party: boolean;
  blank_start: number | null;
  next_seq: number;
  /** Bitmaps of offsets (bit n = offset n), as pg hands int8 over: text. */
  used: string;
  cancelled: string;
}

const HALF = 2 ** 25;

/** The offsets set in a booklet's 50-bit map, in order (split in two halves: JS bit operators work on 32 bits). */
export function offsetsOfBitmap(bitmap: string): number[] {
  const value = Number(bitmap);
  if (value === 0) return [];
  const halves = [value % HALF, Math.floor(value / HALF)];
  const offsets: number[] = [];
  for (let offset = 0; offset < BOOKLET_SIZE; offset++) {
    if ((halves[offset < 25 ? 0 : 1] >>> offset % 25) & 1) offsets.push(offset);
  }
  return offsets;
}

/**
 * Reads for the blank-number report over the tables of numbers and invoices (owned by their modules): what each
 * booklet of a period holds, for the reconciliation, and the EINV450 listing, one row per blank number.
 */
export class BlankNumbersQuery {
  constructor(private readonly db: DataSource) {}

  async bookletCount(sellerId: string, period: string): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM booklets WHERE seller_id = $1 AND period = $2`, [sellerId, period]);
    return n;
  }

  /** How many numbers the MOF allocated to the seller for the period: its imported track ranges. */
  async allocatedByMof(sellerId: string, period: string): Promise<number> {
    const [{ n }] = await this.db.query(
      `SELECT coalesce(sum(end_no - start_no + 1), 0)::int AS n FROM track_ranges WHERE seller_id = $1 AND period = $2`,
      [sellerId, period],
    );
    return n;
  }

  /**
   * Up to `limit` booklets of a reconciliation run's seller and period after `after`, in track and number order, with
   * the offsets their invoices hold. One round trip per chunk, read from indexes only: each booklet's invoices as a
   * bitmap from the (booklet_id, seq) key, those cancelled as blank from their partial index.
   */
  async bookletUsageOfRun(runId: string, after: BookletKey | null, limit: number): Promise<BookletUsage[]> {
    const rows: UsageRow[] = await this.db.query(
      `SELECT b.id, b.invoice_type, b.track, b.start_no, b.third_party IS NOT NULL AS third_party, b.blank_start, b.next_seq,
              coalesce(u.issued, 0) & ~coalesce(c.cancelled, 0) AS used, coalesce(c.cancelled, 0) AS cancelled
         FROM booklets b
         LEFT JOIN LATERAL (SELECT bit_or(1::int8 << i.seq) AS issued FROM invoices i WHERE i.booklet_id = b.id) u ON true
         LEFT JOIN LATERAL (
           SELECT bit_or(1::int8 << i.seq) AS cancelled FROM invoices i WHERE i.booklet_id = b.id AND i.status = 'cancelled_blank'
         ) c ON true
        WHERE b.seller_id = (SELECT seller_id FROM reconciliations WHERE id = $1)
          -- Two scalar subqueries, not a join: the planner then walks the booklets index in order and stops at the limit.
          AND b.period = (SELECT period FROM reconciliations WHERE id = $1)
          AND (b.track, b.start_no) > ($2, $3)
        ORDER BY b.track, b.start_no
        LIMIT $4`,
      [runId, after?.track ?? '', after?.start ?? -1, limit],
    );
    return rows.map((r) => ({
      bookletId: r.id,
      invoiceType: r.invoice_type,
      track: r.track,
      start: r.start_no,
      thirdParty: r.third_party,
      blankStart: r.blank_start,
      allocated: r.next_seq,
      used: offsetsOfBitmap(r.used),
      cancelledBlank: offsetsOfBitmap(r.cancelled),
    }));
  }

  /**
   * EINV450: the period's blank numbers in number order, `limit` after the cursor number, optionally only those
   * whose number, channel, third party or kind contains `q`.
   */
  async blankNumbers(sellerId: string, period: string, options: { q?: string; after?: string; limit: number }): Promise<BlankNumberRow[]> {
    const after = options.after ? { track: options.after.slice(0, 2), number: Number(options.after.slice(2)) } : { track: '', number: -1 };
    const rows: {
      period: string; track: string; number: number; issued_at: Date | null; voided_at: Date | null; channel: string | null;
      operator: string | null; kind: BlankKind;
    }[] = await this.db.query(
      `SELECT b.period, b.track, b.start_no + o AS number, i.issued_at, i.voided_at, coalesce(ic.code, bc.code) AS channel,
              b.third_party AS operator,
              CASE WHEN b.third_party IS NOT NULL THEN 'third_party' WHEN i.status = 'cancelled_blank' THEN 'cancelled_blank'
                   WHEN o >= b.next_seq THEN 'unused' ELSE 'skipped' END AS kind
         FROM booklets b
         LEFT JOIN channels bc ON bc.id = b.channel_id
         CROSS JOIN LATERAL generate_series(
           CASE WHEN b.third_party IS NULL THEN 0 ELSE coalesce(b.blank_start - b.start_no, ${BOOKLET_SIZE}) END, ${BOOKLET_SIZE - 1}) AS o
         LEFT JOIN invoices i ON i.booklet_id = b.id AND i.seq = o
         LEFT JOIN channels ic ON ic.id = i.channel_id
        WHERE b.seller_id = $1 AND b.period = $2 AND (b.track, b.start_no) > ($3, $4::int - ${BOOKLET_SIZE})
          AND (b.track, b.start_no + o) > ($3, $4::int)
          AND (b.third_party IS NOT NULL OR i.id IS NULL OR i.status = 'cancelled_blank')
          AND ($5::text IS NULL OR b.track || lpad((b.start_no + o)::text, 8, '0') ILIKE '%' || $5 || '%'
               OR coalesce(ic.code, bc.code) ILIKE '%' || $5 || '%' OR b.third_party ILIKE '%' || $5 || '%'
               OR (CASE WHEN b.third_party IS NOT NULL THEN 'third_party' WHEN i.status = 'cancelled_blank' THEN 'cancelled_blank'
                        WHEN o >= b.next_seq THEN 'unused' ELSE 'skipped' END) = $5)
        ORDER BY b.track, b.start_no + o
        LIMIT $6`,
      [sellerId, period, after.track, after.number, options.q?.trim() || null, options.limit],
    );
    return rows.map((r) => ({
      period: r.period,
      invoiceNumber: `${r.track}${String(r.number).padStart(8, '0')}`,
      invoiceDate: r.kind === 'cancelled_blank' ? r.issued_at : null,
      voidDate: r.kind === 'cancelled_blank' ? r.voided_at : null,
      channel: r.channel,
      operator: r.operator,
      kind: r.kind,
      skipped: r.kind === 'skipped',
    }));
  }

  /** Every row of the listing, page by page, so an export of 100,000 rows never sits in memory at once. */
  async *allBlankNumbers(sellerId: string, period: string, q?: string, pageSize = 5000): AsyncGenerator<BlankNumberRow> {
    let after: string | undefined;
    for (;;) {
      const page = await this.blankNumbers(sellerId, period, { q, after, limit: pageSize });
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].invoiceNumber;
    }
  }
}
