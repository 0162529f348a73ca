import { DataSource } from 'typeorm';
import { isValidBan } from '../libs/domain/ban';
import { InvoiceRow, InvoiceSearch } from '../libs/invoices/invoices.service';
import { SellerEntity } from '../libs/persistence/entities';
import { RUNS, compare, fmt, withBenchDatabases } from './bench-kit';
import { CapturedQuery, PlanNode, accessPaths, planJson, planText, serviceQuery } from './explain';

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
// Search columns. seedInvoices leaves buyer_ban and buyer_name NULL on every invoice (all B2C, no buyer name), so
// the buyer filters would search an empty column. enrichSearchColumns fills them afterwards, deterministically.
// ---------------------------------------------------------------------------------------------------------------

/** Buyers with a BAN are companies; the n-th BAN of buyerBans() always carries BUYER_COMPANIES[n % length]. */
export const BUYER_COMPANIES = [
  '台灣積體電路製造股份有限公司',
  '鴻海精密工業股份有限公司',
  '聯發科技股份有限公司',
  '統一超商股份有限公司',
  '中華電信股份有限公司',
  '長榮海運股份有限公司',
  '大同股份有限公司',
  '光陽工業股份有限公司',
  '全家便利商店股份有限公司',
  '台灣大哥大股份有限公司',
  '富邦媒體科技股份有限公司',
  '誠品生活股份有限公司',
  '王品餐飲股份有限公司',
  '美食達人股份有限公司',
  '華碩電腦股份有限公司',
  '宏碁股份有限公司',
] as const;

/** Buyers without a BAN (B2C with a name on the invoice): common Taiwanese personal names. */
export const BUYER_PERSONS = [
  '陳怡君', '林志明', '黃淑芬', '張家豪', '李美玲', '王小明', '吳建宏', '劉雅婷', '蔡宗翰', '楊佩珊', '許志偉', '鄭雅雯',
  '謝明哲', '洪淑惠', '郭俊傑', '曾美惠', '邱文華', '廖家瑜', '賴冠宇', '周佳穎', '徐志豪', '蘇怡如', '葉俊宏', '莊雅琪',
] as const;

/** Share of invoices (in %) that get a buyer BAN (and a company name). */
export const BAN_PERCENT = 30;

/** `count` valid BANs from 20000000 up: disjoint from benchBans() (the sellers, from 10000000 up). */
export function buyerBans(count: number): string[] {
  const bans: string[] = [];
  for (let n = 20_000_000; bans.length < count; n++) {
    if (isValidBan(String(n))) bans.push(String(n));
  }
  return bans;
}

export interface EnrichOptions {
  /** Size of the buyer BAN pool (default 200). */
  buyerBanCount?: number;
  /**
   * true: VACUUM FULL invoices after the update (rewrites the table and its indexes without the dead row versions
   * the update left behind, so the baseline's sequential scan reads what it would read in steady state), then
   * VACUUM (ANALYZE). false (default): VACUUM (ANALYZE) only.
   */
  compact?: boolean;
}

/**
 * Gives BAN_PERCENT % of the invoices a buyer BAN (from a pool of valid BANs) with that buyer's company name, and every
 * other invoice a personal buyer name; truncates issued_at to milliseconds, as every invoice the service issues has it
 * (issued_at comes from a JS Date; the seed computes microseconds). Which invoice gets what is decided by hashing its
 * seller-independent identity (invoice_number, billing_no), so the same seed options always give the same data.
 *
 * Synthetic simplification: the payload (and payload_hash) still says B2C with no buyer; search does not read it.
 */
export async function enrichSearchColumns(db: DataSource, options: EnrichOptions = {}): Promise<{ updateMs: number; vacuumMs: number }> {
  const bans = buyerBans(options.buyerBanCount ?? 200);
  const started = Date.now();
  await db.query(
    `UPDATE invoices SET
        issued_at = date_trunc('milliseconds', issued_at),
        buyer_ban = CASE WHEN abs(hashtextextended(invoice_number || billing_no, 11)) % 100 < $4
                         THEN ($1::text[])[1 + abs(hashtextextended(invoice_number || billing_no, 12)) % cardinality($1::text[])] END,
        buyer_name = CASE WHEN abs(hashtextextended(invoice_number || billing_no, 11)) % 100 < $4
                          THEN ($2::text[])[1 + (abs(hashtextextended(invoice_number || billing_no, 12)) % cardinality($1::text[])) % cardinality($2::text[])]
                          ELSE ($3::text[])[1 + abs(hashtextextended(invoice_number || billing_no, 13)) % cardinality($3::text[])] END`,
    [bans, BUYER_COMPANIES, BUYER_PERSONS, BAN_PERCENT],
  );
  const updateMs = Date.now() - started;
  const vacuumStarted = Date.now();
  if (options.compact) await db.query(`VACUUM FULL invoices`);
  await db.query(`VACUUM (ANALYZE) invoices`);
  return { updateMs, vacuumMs: Date.now() - vacuumStarted };
}

// ---------------------------------------------------------------------------------------------------------------
// The bench.
// ---------------------------------------------------------------------------------------------------------------

interface Case {
  name: string;
  filter: InvoiceSearch;
}


/** Display width: CJK characters take two columns. */
const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0)));
const sameRows = (x: unknown[], y: unknown[]) => (x as InvoiceRow[]).map((r) => r.id).join(',') === (y as InvoiceRow[]).map((r) => r.id).join(',');

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
    const seller = { id: seed.sellers[0].id, ban: seed.sellers[0].ban } as SellerEntity;
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
