import { DataSource } from 'typeorm';
import { InvoiceRecord, InvoiceSearch } from '../libs/modules/invoices';
import { SellerRecord } from '../libs/modules/sellers';
import { RUNS, compare, fmt, withBenchDatabases } from '../libs/dev/bench-kit';
import { CapturedQuery, PlanNode, accessPaths, planJson, planText, serviceQuery } from '../libs/dev/explain';
import { enrichSearchColumns } from '../libs/dev/search-seed';

/**
 * Einv120 invoice search (InvoicesService.search) on a million invoices, against a baseline measured in the same run:
 * the same service on a connection where the planner may not use any index, which leaves it a sequential scan of
 * invoices. Prints median times, ratio = baseline / indexed, then a deep-page comparison (keyset cursor page 200
 * against an OFFSET page 200, both indexed), and the EXPLAIN (ANALYZE, BUFFERS) plans of the indexed queries.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/bench/search.bench.js
 *
 * BENCH_DATABASE_URL (admin connection, default the local server), BENCH_INVOICES (default 1,000,000),
 * BENCH_SELLERS (20), BENCH_RUNS (15) adjust it.
 */
const PAGE = 50;
const DEEP_PAGE = 200;

// ---------------------------------------------------------------------------------------------------------------
// The bench.
// ---------------------------------------------------------------------------------------------------------------

interface Case {
  name: string;
  filter: InvoiceSearch;
}


/** Display width: CJK characters take two columns. */
const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0)));
const sameRows = (x: unknown[], y: unknown[]) => (x as InvoiceRecord[]).map((r) => r.id).join(',') === (y as InvoiceRecord[]).map((r) => r.id).join(',');

async function plansOf(db: DataSource, query: CapturedQuery, indexes: string[]): Promise<{ paths: string[]; json: PlanNode }> {
  const json = await planJson(db, query);
  return { paths: accessPaths(json, 'invoices', indexes), json };
}

async function main(): Promise<void> {
  await withBenchDatabases(async ({ indexedDb, baselineDb, indexed, baseline, seed }) => {
    const enriched = await enrichSearchColumns(indexedDb, { compact: true });
    console.log(`buyer columns filled in ${(enriched.updateMs / 1000).toFixed(1)} s (+ VACUUM FULL, VACUUM ANALYZE ${(enriched.vacuumMs / 1000).toFixed(1)} s)`);
    const sizes: { index: string; size: string }[] = await indexedDb.query(
      `SELECT c.relname AS index, pg_size_pretty(pg_relation_size(c.oid)) AS size
         FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'invoices'::regclass ORDER BY c.relname`,
    );
    const [{ table }] = await indexedDb.query(`SELECT pg_size_pretty(pg_table_size('invoices')) AS table`);
    console.log(`invoices ${table}; indexes: ${sizes.map((s) => `${s.index} ${s.size}`).join(', ')}`);

    const indexes = sizes.map((s) => s.index);

    // One seller (about 1/SELLERS of the invoices) and, for the exact-match filters, one of its invoices 1,000 deep.
    const seller = { id: seed.sellers[0].id, ban: seed.sellers[0].ban } as SellerRecord;
    const [target] = await indexedDb.query(
      `SELECT invoice_number, billing_no FROM invoices WHERE seller_id = $1 ORDER BY issued_at DESC, id DESC OFFSET 1000 LIMIT 1`,
      [seller.id],
    );
    const [{ buyer_ban: buyerBan, n: banCount }] = await indexedDb.query(
      `SELECT buyer_ban, count(*)::int AS n FROM invoices WHERE seller_id = $1 AND buyer_ban IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
      [seller.id],
    );
    const [{ period }] = await indexedDb.query(`SELECT max(period) AS period FROM invoices WHERE seller_id = $1`, [seller.id]);
    const day = 24 * 3600_000;
    const first = await indexed.search(seller, { limit: PAGE });
    console.log(`seller ${seller.ban}; buyer BAN ${buyerBan} has ${banCount} of its invoices; period ${period}`);

    const cases: Case[] = [
      { name: 'by number', filter: { number: target.invoice_number, limit: PAGE } },
      { name: 'by billingNo', filter: { billingNo: target.billing_no, limit: PAGE } },
      { name: 'by buyer BAN', filter: { buyerBan, limit: PAGE } },
      { name: 'by buyer name, company (聯發科)', filter: { buyerName: '聯發科', limit: PAGE } },
      { name: 'by buyer name, person (陳怡君)', filter: { buyerName: '陳怡君', limit: PAGE } },
      { name: 'by buyer name, no match (不存在)', filter: { buyerName: '不存在', limit: PAGE } },
      { name: 'period + status (issued|uploading|rejected)', filter: { period, status: ['issued', 'uploading', 'rejected'], limit: PAGE } },
      { name: 'date range (7 days, 2 weeks back)', filter: { from: new Date(seed.now.getTime() - 14 * day), to: new Date(seed.now.getTime() - 7 * day), limit: PAGE } },
      { name: 'newest first, page 1', filter: { limit: PAGE } },
      { name: 'newest first, page 2 (cursor)', filter: { cursor: first.nextCursor!, limit: PAGE } },
    ];

    const results: { name: string; rows: number; indexedMs: number; baselineMs: number; paths: string[] }[] = [];
    for (const c of cases) {
      const r = await compare(
        async () => (await indexed.search(seller, c.filter)).invoices,
        async () => (await baseline.search(seller, c.filter)).invoices,
        c.name,
        sameRows,
      );
      const { paths } = await plansOf(indexedDb, await serviceQuery((s) => s.search(seller, c.filter)), indexes);
      results.push({ name: c.name, rows: r.rows, indexedMs: r.aMs, baselineMs: r.bMs, paths });
    }

    console.log(`\nmedian of ${RUNS} runs each (ms), baseline = same query with index scans disabled, ratio = baseline / indexed`);
    console.log(`${'search (through InvoicesService)'.padEnd(46)} ${'rows'.padStart(5)} ${'indexed'.padStart(8)} ${'baseline'.padStart(8)}    ratio  access path (indexed)`);
    for (const r of results) {
      console.log(
        `${pad(r.name, 46)} ${String(r.rows).padStart(5)} ${fmt(r.indexedMs)} ${fmt(r.baselineMs)} ${(r.baselineMs / r.indexedMs).toFixed(1).padStart(8)}  ${r.paths.join(' + ')}`,
      );
    }

    // Deep page: walk the cursor to page DEEP_PAGE once, then time that page against the OFFSET query for it.
    let cursor: string | null = null;
    for (let page = 1; page < DEEP_PAGE; page++) {
      cursor = (await indexed.search(seller, { cursor: cursor ?? undefined, limit: PAGE })).nextCursor;
      if (!cursor) throw new Error(`the seller has fewer than ${DEEP_PAGE} pages`);
    }
    const deepCursor = cursor!;
    const offsetSql = `SELECT i.*, c.code AS channel_code FROM invoices i LEFT JOIN channels c ON c.id = i.channel_id
        WHERE i.seller_id = $1 ORDER BY i.issued_at DESC, i.id DESC LIMIT $2 OFFSET $3`;
    const offsetParams = [seller.id, PAGE, (DEEP_PAGE - 1) * PAGE];
    const deep = await compare(
      async () => (await indexed.search(seller, { cursor: deepCursor, limit: PAGE })).invoices,
      () => indexedDb.query(offsetSql, offsetParams),
      'deep page',
      sameRows,
    );
    const firstPage = await compare(
      async () => (await indexed.search(seller, { limit: PAGE })).invoices,
      () => indexedDb.query(offsetSql, [seller.id, PAGE, 0]),
      'first page',
      sameRows,
    );
    console.log(`\nkeyset vs OFFSET, ${PAGE} rows a page, median of ${RUNS} runs each (ms), both indexed, ratio = offset / cursor`);
    console.log(`${'page'.padEnd(46)} ${'rows'.padStart(5)} ${'cursor'.padStart(8)} ${'offset'.padStart(8)}    ratio`);
    console.log(`${'page 1'.padEnd(46)} ${String(firstPage.rows).padStart(5)} ${fmt(firstPage.aMs)} ${fmt(firstPage.bMs)} ${(firstPage.bMs / firstPage.aMs).toFixed(1).padStart(8)}`);
    console.log(`${`page ${DEEP_PAGE} (OFFSET ${(DEEP_PAGE - 1) * PAGE})`.padEnd(46)} ${String(deep.rows).padStart(5)} ${fmt(deep.aMs)} ${fmt(deep.bMs)} ${(deep.bMs / deep.aMs).toFixed(1).padStart(8)}`);

    for (const c of [...cases, { name: `cursor page ${DEEP_PAGE}`, filter: { cursor: deepCursor, limit: PAGE } }]) {
      const query = await serviceQuery((s) => s.search(seller, c.filter));
      console.log(`\n=== ${c.name}: indexed ===\n${await planText(indexedDb, query)}`);
      const baselinePlan = await planText(baselineDb, query);
      console.log(`--- baseline: ${baselinePlan.split('\n').filter((l) => /Seq Scan|Execution Time/.test(l)).map((l) => l.trim()).join(' | ')}`);
    }
    console.log(`\n=== OFFSET page ${DEEP_PAGE}: indexed ===\n${await planText(indexedDb, { sql: offsetSql, params: offsetParams })}`);
  });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
