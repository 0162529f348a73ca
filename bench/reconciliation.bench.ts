import { randomBytes } from 'node:crypto';
import { systemClock } from '../libs/adapters/clock/clock';
import { CredentialsCipher } from '../libs/adapters/crypto/credentials-cipher';
import { BlankPart, combineBlankParts } from '../libs/domain';
import { fmt, median, timed } from '../libs/dev/bench-kit';
import { seedInvoices } from '../libs/dev/seed-invoices';
import { openDatabase } from '../libs/infra/persistence/data-source';
import { databaseUrl, withClient } from '../libs/infra/persistence/postgres-admin';
import { AlertsService } from '../libs/modules/alerts';
import { createReconciliationService } from '../libs/modules/reconciliation';
import { SellersService } from '../libs/modules/sellers';
import { BOOKLETS_PER_CHUNK } from '../workflows/reconciliation.workflow';

/**
 * One period of one seller: BENCH_INVOICES invoices (default 100,000) in booklets of 50, plus 1 % of them cancelled as
 * blank and 100 untouched booklets, reconciled exactly as the workflow's activities do it (booklets in chunks of
 * 250, combined, the draft stored with its E0402s). Printed beside the baseline measured in the same run: a bare
 * SQL count over the same rows (booklets joined to their invoices).
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/bench/reconciliation.bench.js
 */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INVOICES = Number(process.env.BENCH_INVOICES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

async function main(): Promise<void> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  await withClient(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const db = await openDatabase(databaseUrl(ADMIN_URL, name), { poolSize: 4 });
  try {
    const seed = await seedInvoices(db, { invoices: INVOICES, sellers: 1, periods: 1, openRatio: 0 });
    const [seller] = seed.sellers;
    const [{ period, track, top }] = await db.query(`SELECT period, track, max(start_no) AS top FROM booklets GROUP BY period, track`);
    await db.query(`UPDATE invoices SET status = 'cancelled_blank', voided_at = now(), void_reason = 'bench' WHERE abs(hashint8extended(seq::int8 * 7919 + hashtext(booklet_id::text), 9)) % 100 = 0`);
    const [{ id: rangeId }] = await db.query(
      `INSERT INTO track_ranges (seller_id, period, invoice_type, track, start_no, end_no) VALUES ($1, $2, '07', $3, $4, $4 + 4999) RETURNING id`,
      [seller.id, period, track, Number(top) + 50],
    );
    await db.query(
      `INSERT INTO booklets (track_range_id, seller_id, period, invoice_type, track, start_no)
       SELECT $1, $2, $3, '07', $4, s FROM generate_series($5::int, $5::int + 4950, 50) AS s`,
      [rangeId, seller.id, period, track, Number(top) + 50],
    );
    await db.query(`VACUUM ANALYZE booklets, invoices`);

    const sellers = new SellersService(db, new CredentialsCipher(randomBytes(32)));
    const service = createReconciliationService(db, { sellers, alerts: AlertsService.create(db, systemClock), clock: systemClock });
    const workflowId = `bench:${period}`;

    const reconcile = async () => {
      const run = await service.openRun({ sellerBan: seller.ban, period, mode: 'report', startedBy: 'bench', uploadAt: new Date().toISOString(), lateWarnAt: '', closeAt: '' }, workflowId);
      const parts: BlankPart[] = [];
      let after = null;
      for (;;) {
        const chunk = await service.computeChunk(run.id, after, BOOKLETS_PER_CHUNK);
        parts.push(chunk.part);
        if (!chunk.next) break;
        after = chunk.next;
      }
      const draft = combineBlankParts(parts, run.allocatedByMof);
      await service.storeDraft(run.id, draft);
      return [draft];
    };
    const count = () =>
      db.query(`SELECT count(*) AS n FROM booklets b LEFT JOIN invoices i ON i.booklet_id = b.id WHERE b.seller_id = $1 AND b.period = $2`, [seller.id, period]);

    const [first] = (await timed(reconcile)).rows;
    await timed(count);
    const reconcileMs: number[] = [];
    const countMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      reconcileMs.push((await timed(reconcile)).ms);
      countMs.push((await timed(count)).ms);
    }
    const { totals, ranges, violations } = first;
    console.log(`period ${period}: ${totals.booklets} booklets, ${INVOICES.toLocaleString('en')} invoices; used ${totals.used}, blank ${totals.blank} in ${ranges.length} ranges, ${violations.length} violations`);
    console.log(`median of ${RUNS} runs (ms)     reconciliation  bare count   ratio`);
    console.log(`                              ${fmt(median(reconcileMs))}    ${fmt(median(countMs))}   ${(median(reconcileMs) / median(countMs)).toFixed(1).padStart(5)}`);
  } finally {
    await db.destroy();
    await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
