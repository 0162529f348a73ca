import { randomBytes } from 'node:crypto';
import { Client, Query } from 'pg';
import { DataSource } from 'typeorm';
import { systemClock } from '../libs/adapters/clock/clock';
import { CredentialsCipher } from '../libs/adapters/crypto/credentials-cipher';
import { MEDIA_LINE_END, fromTaipei, periodOf } from '../libs/domain';
import { seedInvoices } from '../libs/dev/seed-invoices';
import { AlertsService } from '../libs/modules/alerts';
import { createReconciliationService } from '../libs/modules/reconciliation';
import { SellersService } from '../libs/modules/sellers';
import { TaxFilingService } from '../libs/modules/tax-filing';
import { Figure, median, printFigures, sizeFromEnv } from './support/bench-report';
import { withScratchDatabase } from './support/scratch-database';

/**
 * The period's media file (營業人進銷項資料檔) of one seller: BENCH_INVOICES invoices (default 100,000) in full booklets
 * of 50 (2,000), 30 % of them to business buyers, 1 % voided and 1 % cancelled as blank, the period's reconciliation
 * approved with those blank ranges. Timed: TaxFilingService.mediaFile (the seller, the approved run, the three reads,
 * the records, the summary, the completeness proof and the rendered text), median of BENCH_RUNS (default 7),
 * alternating with the baseline measured in the same run: the same columns of the same invoices selected with a bare
 * `WHERE seller_id AND period` and streamed through a pg client row by row, none of them kept.
 *
 *   BENCH_INVOICES (default 100000), BENCH_RUNS (default 7)
 */
const INVOICES = sizeFromEnv('BENCH_INVOICES', 100_000);
const RUNS = sizeFromEnv('BENCH_RUNS', 7);
const TAX_REGISTRATION_NUMBER = '123456789';

/** The period before the current one, and an instant near its end that every seeded invoice is issued before. */
function closedPeriod(): { code: string; now: Date } {
  let { rocYear, endMonth } = periodOf(new Date());
  endMonth -= 2;
  if (endMonth === 0) {
    endMonth = 12;
    rocYear -= 1;
  }
  return { code: `${String(rocYear).padStart(3, '0')}${String(endMonth).padStart(2, '0')}`, now: fromTaipei(rocYear + 1911, endMonth, 27, 12) };
}

/**
 * On top of the seed (B2C invoices of type 07, tax type 1): 30 % to a business buyer (untaxed sales and 5 % tax), the
 * rest B2C as the service stores them (tax included, tax 0); 1 % voided, another 1 % cancelled as blank. Then the
 * period's reconciliation, approved and accepted, whose ranges are every number of its booklets with no live invoice.
 */
async function shapePeriod(db: DataSource, sellerId: string, period: string): Promise<void> {
  await db.query(
    `UPDATE invoices SET
       buyer_ban = CASE WHEN b2b THEN lpad((10000000 + abs(hashint8extended(seq::int8, 21)) % 89999999)::text, 8, '0') END,
       sales_amount = total_amount,
       tax_amount = CASE WHEN b2b THEN round(total_amount * 0.05) ELSE 0 END,
       total_amount = total_amount + CASE WHEN b2b THEN round(total_amount * 0.05) ELSE 0 END,
       status = CASE fate WHEN 0 THEN 'voided' WHEN 1 THEN 'cancelled_blank' ELSE status END,
       voided_at = CASE WHEN fate < 2 THEN issued_at + interval '1 hour' END,
       void_reason = CASE WHEN fate < 2 THEN 'bench' END
      FROM (SELECT id AS invoice_id, abs(hashint8extended(seq::int8 * 7919 + hashtext(booklet_id::text), 9)) % 100 AS fate,
                   abs(hashint8extended(seq::int8 * 7919 + hashtext(booklet_id::text), 11)) % 10 < 3 AS b2b
              FROM invoices) AS shape
     WHERE id = shape.invoice_id`,
  );
  await db.query(`UPDATE sellers SET tax_registration_number = $2 WHERE id = $1`, [sellerId, TAX_REGISTRATION_NUMBER]);
  await db.query(
    `WITH blank AS (
       SELECT b.invoice_type, b.track, b.start_no + s.seq AS n
         FROM booklets b CROSS JOIN generate_series(0, 49) AS s(seq)
        WHERE b.seller_id = $1 AND b.period = $2
          AND NOT EXISTS (SELECT FROM invoices i WHERE i.booklet_id = b.id AND i.seq = s.seq AND i.status <> 'cancelled_blank')
     ), islands AS (
       SELECT invoice_type, track, min(n) AS first, max(n) AS last
         FROM (SELECT blank.*, n - row_number() OVER (PARTITION BY invoice_type, track ORDER BY n) AS island FROM blank) AS b
        GROUP BY invoice_type, track, island
     ), ranges AS (
       SELECT coalesce(jsonb_agg(jsonb_build_object('invoiceType', invoice_type, 'track', track, 'begin', first, 'end', last) ORDER BY track, first), '[]') AS ranges
         FROM islands
     )
     INSERT INTO reconciliations (seller_id, period, mode, workflow_id, state, started_by, ranges, reported_ranges, reported_at, approved_by, accepted_at)
     SELECT $1, $2, 'report', 'bench:media-file', 'accepted', 'bench', ranges, ranges, now(), 'bench', now() FROM ranges`,
    [sellerId, period],
  );
  await db.query(`VACUUM FULL invoices`);
  await db.query(`VACUUM (ANALYZE) sellers, booklets, allocated_numbers, invoices, reconciliations`);
}

/** The floor: the same invoices' filing columns, streamed from PostgreSQL and dropped row by row. */
function bareScan(client: Client, sellerId: string, period: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    const query = new Query(
      `SELECT invoice_number, invoice_type, issued_at, buyer_ban, tax_type, sales_amount, zero_tax_sales_amount,
              free_tax_sales_amount, tax_amount, status, payload -> 'zeroTax' ->> 'customsClearanceMark' AS customs
         FROM invoices WHERE seller_id = $1 AND period = $2`,
      [sellerId, period],
    );
    query.on('row', () => rows++);
    query.on('end', () => resolve(rows));
    query.on('error', reject);
    client.query(query);
  });
}

async function timedMs<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

async function main(): Promise<void> {
  const { code: period, now } = closedPeriod();
  await withScratchDatabase(4, async (db, url) => {
    const seedStarted = Date.now();
    // Issued over the 50 days before `now`, the 27th of the period's last month: all inside the period.
    const seed = await seedInvoices(db, { invoices: INVOICES, sellers: 1, periods: 1, openRatio: 0, now, spanDays: 50 });
    const [seller] = seed.sellers;
    await shapePeriod(db, seller.id, period);
    const [shape] = await db.query(
      `SELECT (SELECT count(*)::int FROM booklets) AS booklets, count(*)::int AS invoices, count(*) FILTER (WHERE status = 'voided')::int AS voided,
              count(*) FILTER (WHERE status = 'cancelled_blank')::int AS blank, count(*) FILTER (WHERE buyer_ban IS NOT NULL)::int AS b2b,
              (SELECT jsonb_array_length(ranges) FROM reconciliations) AS ranges
         FROM invoices`,
    );
    console.log(`seller ${seller.ban}, period ${period}: ${JSON.stringify(shape)}; seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const sellers = new SellersService(db, new CredentialsCipher(randomBytes(32)));
    const reconciliation = createReconciliationService(db, { sellers, alerts: AlertsService.create(db, systemClock), clock: systemClock });
    const filing = new TaxFilingService(db, sellers, reconciliation);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const first = await filing.mediaFile(seller.ban, period);
      const records = first.content.split(MEDIA_LINE_END).length - 1;
      const scanned = await bareScan(client, seller.id, period);
      if (scanned !== INVOICES) throw new Error(`the bare scan read ${scanned} invoices, not ${INVOICES}`);
      console.log(`${first.fileName}: ${records.toLocaleString('en')} records, ${(first.content.length / 1024 / 1024).toFixed(1)} MB`);

      const serviceMs: number[] = [];
      const scanMs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        serviceMs.push((await timedMs(() => filing.mediaFile(seller.ban, period))).ms);
        scanMs.push((await timedMs(() => bareScan(client, seller.id, period))).ms);
      }
      const service = median(serviceMs);
      const scan = median(scanMs);
      console.log(`median of ${RUNS} runs: media file ${service.toFixed(0)} ms, bare scan ${scan.toFixed(0)} ms (service ${(service / scan).toFixed(1)} × the scan)`);
      const figures: Figure[] = [
        {
          name: `media file, ${INVOICES.toLocaleString('en')} invoices, ${shape.booklets.toLocaleString('en')} booklets`,
          unit: 'invoices/s, ratio = TaxFilingService.mediaFile / bare scan',
          project: INVOICES / (service / 1000),
          baseline: INVOICES / (scan / 1000),
        },
      ];
      printFigures(`media file (median of ${RUNS} runs each, alternating; baseline = the period's invoices streamed by a bare SELECT)`, figures);
    } finally {
      await client.end();
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
