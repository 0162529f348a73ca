import { DataSource, QueryRunner } from 'typeorm';
import { isValidBan } from '../domain/ban';
import { periodOf } from '../domain/period';
import { startOfTaipeiDay } from '../domain/taipei-time';

/**
 * Bulk synthetic data for the deadline listings: sellers, their web channel, one track range per seller and period,
 * every booklet of each range, the allocated numbers and one invoice per number — all generated in SQL with
 * generate_series, no row sent from node.
 *
 * The mix: `openRatio` of the invoices still wait for Turnkey (45 % on_time, 20 % due_soon, 25 % overdue,
 * 10 % past_legal); the rest are accepted (`done`), issued over the last `spanDays`. Every invoice's deadline_state
 * agrees with its own deadlines at `now` (B2C: due 48 h after issue, warning 8 h before, legal limit at the end of the
 * 2nd Taipei day), so a listing computed as of `now` is meaningful. Which invoice falls where is decided by hashing
 * its ordinal (hashint8extended), so a given set of options always yields the same data.
 *
 * Synthetic simplifications: all invoices are B2C type 07 with tax type 1, periods are the last `periods` periods up
 * to `now`'s regardless of the issue time, and payload_hash is a sha256 of the stored payload text.
 */
export interface SeedOptions {
  invoices?: number;
  sellers?: number;
  periods?: number;
  openRatio?: number;
  /** The instant the deadline states are true at. */
  now?: Date;
  /** Accepted invoices were issued up to this many days before `now`; past_legal ones up to 21 days before. */
  spanDays?: number;
  /**
   * true: load with `session_replication_role = replica` (no ledger constraint triggers, no foreign-key triggers),
   * then check the ledgers and references with one query before committing. false: let the deferred ledger
   * triggers and foreign keys check every row, as in production (fine for tens of thousands of rows).
   */
  bypassTriggers?: boolean;
  /** VACUUM (ANALYZE) the loaded tables afterwards; false: ANALYZE only. */
  vacuum?: boolean;
}

export interface SeededSeller {
  id: string;
  ban: string;
  name: string;
}

export interface SeedResult {
  now: Date;
  sellers: SeededSeller[];
  /** Invoices per deadline_state. */
  counts: Record<string, number>;
  timings: { loadMs: number; verifyMs: number; vacuumMs: number };
}

export const OPEN_STATES = ['on_time', 'due_soon', 'overdue', 'past_legal'] as const;
/** Share of each open state among the open invoices. */
const OPEN_SPLIT = [0.45, 0.2, 0.25, 0.1];
const BOOKLET_SIZE = 50;

/** The first `count` valid BANs from 10000000 up: sellers look real to anything that validates them. */
export function benchBans(count: number): string[] {
  const bans: string[] = [];
  for (let n = 10_000_000; bans.length < count; n++) {
    if (isValidBan(String(n))) bans.push(String(n));
  }
  return bans;
}

/** The last `count` period codes up to the one holding `now`, oldest first. */
function periodCodes(now: Date, count: number): string[] {
  let { rocYear, endMonth } = periodOf(now);
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    codes.unshift(`${String(rocYear).padStart(3, '0')}${String(endMonth).padStart(2, '0')}`);
    endMonth -= 2;
    if (endMonth === 0) {
      endMonth = 12;
      rocYear -= 1;
    }
  }
  return codes;
}

/** Booklets whose ledger is not exactly their first next_seq numbers, plus rows pointing at nothing; 0 when sound. */
export const LEDGER_CHECK_SQL = `
  SELECT (SELECT count(*) FROM booklets b
            LEFT JOIN (SELECT booklet_id, count(*) AS n, max(seq) AS top FROM allocated_numbers GROUP BY booklet_id) a
                   ON a.booklet_id = b.id
           WHERE coalesce(a.n, 0) <> b.next_seq OR coalesce(a.top, -1) <> b.next_seq - 1)
       + (SELECT count(*) FROM allocated_numbers a WHERE NOT EXISTS (SELECT FROM booklets b WHERE b.id = a.booklet_id))
       + (SELECT count(*) FROM invoices i
           WHERE NOT EXISTS (SELECT FROM allocated_numbers a WHERE a.booklet_id = i.booklet_id AND a.seq = i.seq))
         AS broken`;

export async function countBrokenLedgers(db: DataSource | QueryRunner): Promise<number> {
  const [{ broken }] = await db.query(LEDGER_CHECK_SQL);
  return Number(broken);
}

export async function seedInvoices(db: DataSource, options: SeedOptions = {}): Promise<SeedResult> {
  const invoices = options.invoices ?? 1_000_000;
  const sellerCount = options.sellers ?? 20;
  const periods = options.periods ?? 2;
  const openRatio = options.openRatio ?? 0.03;
  const now = options.now ?? new Date();
  const spanDays = options.spanDays ?? 42;
  const bypassTriggers = options.bypassTriggers ?? true;
  if (sellerCount * periods > 26 * 26) throw new RangeError('one two-letter track per seller and period: at most 676');

  // Seller s (0-based) holds invoices s, s + S, s + 2S, … : ceil((N - s) / S) of them, in booklets of 50 spread
  // evenly over the periods; each range has room for the busiest seller, so the quieter ones keep unused booklets.
  const perSeller = Math.ceil(invoices / sellerCount);
  const bookletsPerRange = Math.max(1, Math.ceil(Math.ceil(perSeller / BOOKLET_SIZE) / periods));
  const thresholds = OPEN_SPLIT.map((_, i) => openRatio * OPEN_SPLIT.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const dayStart = startOfTaipeiDay(now);

  const started = Date.now();
  let verifyMs = 0;
  const q = db.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    if (bypassTriggers) await q.query(`SET LOCAL session_replication_role = replica`);

    await q.query(
      `CREATE TEMP TABLE seed_sellers ON COMMIT DROP AS
         SELECT (ord - 1)::int AS ord, gen_random_uuid() AS id, gen_random_uuid() AS channel_id, ban
           FROM unnest($1::text[]) WITH ORDINALITY AS b(ban, ord)`,
      [benchBans(sellerCount)],
    );
    await q.query(`INSERT INTO sellers (id, ban, name, address) SELECT id, ban, 'Bench seller ' || ord, 'Taipei' FROM seed_sellers`);
    await q.query(
      `INSERT INTO channels (id, seller_id, code, kind, name, issue_triggers)
         SELECT channel_id, id, 'web', 'web', 'Web shop', ARRAY['payment'] FROM seed_sellers`,
    );
    await q.query(
      `CREATE TEMP TABLE seed_ranges ON COMMIT DROP AS
         SELECT gen_random_uuid() AS id, s.ord AS s, (p.ord - 1)::int AS p, s.id AS seller_id, s.channel_id, p.code AS period,
                chr(65 + ((s.ord * $2::int + p.ord::int - 1) / 26) % 26) || chr(65 + (s.ord * $2::int + p.ord::int - 1) % 26) AS track
           FROM seed_sellers s CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS p(code, ord)`,
      [periodCodes(now, periods), periods],
    );
    await q.query(
      `INSERT INTO track_ranges (id, seller_id, period, invoice_type, track, start_no, end_no, source_file)
         SELECT id, seller_id, period, '07', track, 0, $1::int * 50 - 1, 'bench' FROM seed_ranges`,
      [bookletsPerRange],
    );
    // Booklet lb (0-based within its seller) holds the seller's invoices lb*50 … lb*50+49, so it is full, partly
    // used (the seller's last) or untouched; next_seq says which, and the ledger below matches it exactly.
    await q.query(
      `CREATE TEMP TABLE seed_booklets ON COMMIT DROP AS
         SELECT gen_random_uuid() AS id, r.id AS range_id, r.s, r.seller_id, r.channel_id, r.period, r.track, x.lb,
                (x.lb % $1::int) * 50 AS start_no,
                least(greatest(($3::int - r.s + $2::int - 1) / $2::int - x.lb * 50, 0), 50)::smallint AS next_seq
           FROM seed_ranges r CROSS JOIN LATERAL generate_series(r.p * $1::int, r.p * $1::int + $1::int - 1) AS x(lb)`,
      [bookletsPerRange, sellerCount, invoices],
    );
    await q.query(
      `INSERT INTO booklets (id, track_range_id, seller_id, period, invoice_type, track, start_no, next_seq)
         SELECT id, range_id, seller_id, period, '07', track, start_no, next_seq FROM seed_booklets`,
    );
    // Numbers and invoices in one statement: both come from the same generated rows (k is the global ordinal).
    await q.query(
      `WITH gen AS MATERIALIZED (
         SELECT g.*,
                CASE WHEN g.u_state < $3 THEN 'on_time' WHEN g.u_state < $4 THEN 'due_soon'
                     WHEN g.u_state < $5 THEN 'overdue' WHEN g.u_state < $6 THEN 'past_legal' ELSE 'done' END AS state
           FROM (SELECT b.id AS booklet_id, n.seq::smallint AS seq, b.seller_id, b.period, b.s, k.j, k.k,
                        b.track || lpad((b.start_no + n.seq)::text, 8, '0') AS invoice_number,
                        CASE WHEN abs(hashint8extended(k.k, 3)) % 10 < 8 THEN b.channel_id END AS channel_id,
                        (abs(hashint8extended(k.k, 1)) % 1000000)::float8 / 1e6 AS u_state,
                        (abs(hashint8extended(k.k, 2)) % 1000000)::float8 / 1e6 AS u_time,
                        (abs(hashint8extended(k.k, 4)) % 1000000)::float8 / 1e6 AS u_misc
                   FROM seed_booklets b
                  CROSS JOIN LATERAL generate_series(0, b.next_seq - 1) AS n(seq)
                  CROSS JOIN LATERAL (SELECT b.lb * 50 + n.seq AS j, (b.lb * 50 + n.seq)::bigint * $2 + b.s AS k) AS k
                  WHERE b.next_seq > 0) AS g
       ), timed AS MATERIALIZED (
         SELECT gen.*,
                CASE state
                  -- on_time: before the warning (due - 8 h); due_soon: between warning and due;
                  -- overdue: after due, still within the legal day; past_legal: legal day over.
                  WHEN 'on_time' THEN $1::timestamptz - u_time * interval '40 hours'
                  WHEN 'due_soon' THEN $1::timestamptz - interval '40 hours' - u_time * interval '8 hours'
                  WHEN 'overdue' THEN $1::timestamptz - interval '48 hours' - (1 - u_time) * ($1::timestamptz - $7::timestamptz)
                  WHEN 'past_legal' THEN $7::timestamptz - interval '2 days 1 millisecond' - u_time * interval '21 days'
                  ELSE $1::timestamptz - interval '1 hour' - u_time * ($8::float8 * interval '1 day')
                END AS issued_at,
                1 + (abs(hashint8extended(k, 5)) % 3) AS quantity,
                100 + (abs(hashint8extended(k, 6)) % 4900) AS unit_price
           FROM gen
       ), numbers AS (
         INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number, channel_id, allocated_at)
         SELECT booklet_id, seq, seller_id, period, invoice_number, channel_id, issued_at FROM timed
       )
       INSERT INTO invoices (seller_id, channel_id, booklet_id, seq, period, invoice_number, billing_no, invoice_type,
                             tax_type, buyer_email, issued_at, random_number, sales_amount, free_tax_sales_amount,
                             zero_tax_sales_amount, tax_amount, total_amount, payload, payload_hash, status,
                             upload_due_at, legal_due_at, warn_at, deadline_state, accepted_at, last_error_code,
                             last_error_message, created_at)
       SELECT seller_id, channel_id, booklet_id, seq, period, invoice_number, billing_no, '07', '1', buyer_email, issued_at,
              lpad((abs(hashint8extended(k, 7)) % 10000)::text, 4, '0'),
              round(total / 1.05), 0, 0, total - round(total / 1.05), total,
              payload, encode(sha256(convert_to(payload::text, 'UTF8')), 'hex'),
              CASE WHEN state = 'done' THEN 'accepted'
                   WHEN state IN ('overdue', 'past_legal') AND u_misc < 0.6 THEN 'rejected'
                   WHEN u_misc < 0.5 THEN 'issued' ELSE 'uploading' END,
              issued_at + interval '48 hours',
              (date_trunc('day', issued_at AT TIME ZONE 'Asia/Taipei') + interval '3 days' - interval '1 millisecond') AT TIME ZONE 'Asia/Taipei',
              issued_at + interval '40 hours',
              state,
              CASE WHEN state = 'done' THEN issued_at + u_misc * interval '55 minutes' END,
              CASE WHEN state IN ('overdue', 'past_legal') AND u_misc < 0.6 THEN 'E1001' END,
              CASE WHEN state IN ('overdue', 'past_legal') AND u_misc < 0.6 THEN 'seller BAN not authorised for this track' END,
              issued_at
         FROM (SELECT timed.*, quantity * unit_price AS total, 'ORD' || lpad(j::text, 9, '0') AS billing_no,
                      CASE WHEN u_misc < 0.3 THEN 'buyer' || k || '@example.com' END AS buyer_email,
                      jsonb_build_object(
                        'billingNo', 'ORD' || lpad(j::text, 9, '0'),
                        'taxType', '1',
                        'buyer', CASE WHEN u_misc < 0.3 THEN jsonb_build_object('email', 'buyer' || k || '@example.com')
                                      ELSE '{}'::jsonb END,
                        'carrier', jsonb_build_object('type', '3J0002', 'id', '/' || upper(substr(md5(k::text), 1, 7))),
                        'lines', jsonb_build_array(jsonb_build_object(
                          'description', 'Item ' || (abs(hashint8extended(k, 8)) % 500), 'quantity', quantity,
                          'unitPrice', unit_price, 'amount', quantity * unit_price, 'unit', 'pcs'))) AS payload
                 FROM timed) AS t`,
      [now, sellerCount, ...thresholds, dayStart, spanDays],
    );
    if (bypassTriggers) {
      // The triggers did not run: check in one query what they (and the foreign keys) would have checked.
      const verifyStarted = Date.now();
      const broken = await countBrokenLedgers(q);
      verifyMs = Date.now() - verifyStarted;
      if (broken !== 0) throw new Error(`seeded ledgers are inconsistent: ${broken} broken booklets or references`);
    }
    const sellers: SeededSeller[] = await q.query(`SELECT id, ban, name FROM sellers WHERE id IN (SELECT id FROM seed_sellers) ORDER BY ban`);
    await q.commitTransaction();
    const loadMs = Date.now() - started - verifyMs;

    const vacuumStarted = Date.now();
    const tables = 'sellers, channels, track_ranges, booklets, allocated_numbers, invoices';
    await q.query(options.vacuum === false ? `ANALYZE ${tables}` : `VACUUM (ANALYZE) ${tables}`);
    const vacuumMs = Date.now() - vacuumStarted;

    const rows: { state: string; count: number }[] = await q.query(
      `SELECT deadline_state AS state, count(*)::int AS count FROM invoices WHERE seller_id = ANY($1) GROUP BY 1`,
      [sellers.map((s) => s.id)],
    );
    const counts = Object.fromEntries(rows.map((r) => [r.state, r.count]));
    return { now, sellers, counts, timings: { loadMs, verifyMs, vacuumMs } };
  } catch (error) {
    if (q.isTransactionActive) await q.rollbackTransaction();
    throw error;
  } finally {
    await q.release();
  }
}
