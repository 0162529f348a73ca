import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/create-api-app';
import { loadConfig } from '../libs/infra/config/config';
import { InvoiceRecord, InvoiceSearch } from '../libs/modules/invoices';
import { SellerRecord } from '../libs/modules/sellers';
import { RUNS, compare, fmt, withBenchDatabases } from '../libs/dev/bench-kit';
import { CapturedQuery, PlanNode, accessPaths, planJson, planText, serviceQuery } from '../libs/dev/explain';
import { enrichSearchColumns } from '../libs/dev/search-seed';

/**
 * Einv120 invoice search (InvoicesService.search) on a million invoices, against a baseline measured in the same run:
 * the same service on a connection where the planner may not use any index, which leaves it a sequential scan of
 * invoices. Prints median times, ratio = baseline / indexed, then a deep-page comparison (keyset cursor page 200
 * against an OFFSET page 200, both indexed), then the staff search page as the page asks for it — GET /api/v1/invoices
 * through HTTP and the whole Nest app — against a bare SQL query of the same page in the same run (ratio = API / bare,
 * what the API costs on top of the database), an export's rows per second against the bare read of the same rows, and
 * the EXPLAIN (ANALYZE, BUFFERS) plans of the indexed queries.
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

    await apiAgainstBare(indexedDb, seed.sellers.map((s) => ({ id: s.id, ban: s.ban })), seller, target);

    for (const c of [...cases, { name: `cursor page ${DEEP_PAGE}`, filter: { cursor: deepCursor, limit: PAGE } }]) {
      const query = await serviceQuery((s) => s.search(seller, c.filter));
      console.log(`\n=== ${c.name}: indexed ===\n${await planText(indexedDb, query)}`);
      const baselinePlan = await planText(baselineDb, query);
      console.log(`--- baseline: ${baselinePlan.split('\n').filter((l) => /Seq Scan|Execution Time/.test(l)).map((l) => l.trim()).join(' | ')}`);
    }
    console.log(`\n=== OFFSET page ${DEEP_PAGE}: indexed ===\n${await planText(indexedDb, { sql: offsetSql, params: offsetParams })}`);
  });
}

/** The Nest app as it runs in production, on the bench database, listening on a port of its own. Temporal is never called. */
async function startApi(url: string): Promise<{ app: INestApplication; base: string; key: string }> {
  const key = `bench-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({ TEMPORAL_ADDRESS: '127.0.0.1:7233' });
  const app = await createApiApp({ ...config, databaseUrl: url, credentialsKey: randomBytes(32), adminApiKey: key });
  await app.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`, key };
}

/** What both sides of a page comparison hand back: the invoice numbers, in order. */
const sameNumbers = (x: string[], y: string[]) => x.join(',') === y.join(',');

/**
 * The page a person gets (GET /api/v1/invoices through HTTP: guard, validation, sellers, the keyset query, JSON)
 * against the bare SQL of the same page — the same rows, WHERE, ORDER BY and LIMIT written as one plain statement,
 * on the same database in the same run. Then an export: GET /invoices.csv of one seller, rows per second, against
 * reading the same rows bare.
 */
async function apiAgainstBare(db: DataSource, sellers: { id: string; ban: string }[], seller: SellerRecord, target: { invoice_number: string; billing_no: string }): Promise<void> {
  const url = (db.options as { url: string }).url;
  const api = await startApi(url);
  try {
    const get = async (query: string): Promise<{ numbers: string[]; nextCursor: string | null }> => {
      const response = await fetch(`${api.base}/api/v1/invoices?${query}`, { headers: { Authorization: `Bearer ${api.key}` } });
      if (!response.ok) throw new Error(`GET /invoices?${query}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { invoices: { number: string }[]; nextCursor: string | null };
      return { numbers: body.invoices.map((i) => i.number), nextCursor: body.nextCursor };
    };
    const bare = async (sql: string, params: unknown[]) => ((await db.query(sql, params)) as { invoice_number: string }[]).map((r) => r.invoice_number);
    const COLUMNS = `i.id, i.invoice_number, i.billing_no, i.issued_at, i.buyer_ban, i.buyer_name, i.channel_id, i.status, i.deadline_state, i.total_amount, i.upload_due_at, i.sent_at, i.accepted_at`;
    const all = sellers.map((s) => s.id);
    // The deep page: the API walks its cursor there once; the bare query starts after the same invoice.
    let cursor: string | null = null;
    for (let page = 1; page < DEEP_PAGE; page++) cursor = (await get(`seller=${seller.ban}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).nextCursor;
    const [after] = await db.query(`SELECT issued_at, id FROM invoices WHERE seller_id = $1 ORDER BY issued_at DESC, id DESC OFFSET $2 LIMIT 1`, [seller.id, (DEEP_PAGE - 1) * PAGE - 1]);
    const pages: { name: string; api: string; sql: string; params: unknown[] }[] = [
      { name: 'one seller, newest first, page 1', api: `seller=${seller.ban}&limit=${PAGE}`, sql: `SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = $1 ORDER BY i.issued_at DESC, i.id DESC LIMIT ${PAGE}`, params: [seller.id] },
      { name: 'one seller, oldest first, page 1', api: `seller=${seller.ban}&sort=oldest&limit=${PAGE}`, sql: `SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = $1 ORDER BY i.issued_at, i.id LIMIT ${PAGE}`, params: [seller.id] },
      {
        name: `one seller, page ${DEEP_PAGE} (cursor)`, api: `seller=${seller.ban}&limit=${PAGE}&cursor=${encodeURIComponent(cursor!)}`,
        sql: `SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = $1 AND (i.issued_at, i.id) < ($2, $3) ORDER BY i.issued_at DESC, i.id DESC LIMIT ${PAGE}`, params: [seller.id, after.issued_at, after.id],
      },
      {
        name: 'one seller, buyer name 聯發科', api: `seller=${seller.ban}&buyer=${encodeURIComponent('聯發科')}&limit=${PAGE}`,
        sql: `SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = $1 AND i.buyer_name ILIKE $2 ORDER BY i.issued_at DESC, i.id DESC LIMIT ${PAGE}`, params: [seller.id, '%聯發科%'],
      },
      {
        name: `every seller (${sellers.length}), by order number`, api: `billingNo=${encodeURIComponent(target.billing_no)}&limit=${PAGE}`,
        sql: `SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = ANY($1) AND i.billing_no = $2 ORDER BY i.issued_at DESC, i.id DESC LIMIT ${PAGE}`, params: [all, target.billing_no],
      },
      {
        name: `every seller (${sellers.length}), by invoice number`, api: `number=${target.invoice_number}&limit=${PAGE}`,
        sql: `SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = ANY($1) AND i.invoice_number = $2 ORDER BY i.issued_at DESC, i.id DESC LIMIT ${PAGE}`, params: [all, target.invoice_number],
      },
      { name: `every seller (${sellers.length}), newest first, page 1`, api: `limit=${PAGE}`, sql: `SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = ANY($1) ORDER BY i.issued_at DESC, i.id DESC LIMIT ${PAGE}`, params: [all] },
    ];
    const results: { name: string; rows: number; apiMs: number; bareMs: number }[] = [];
    for (const page of pages) {
      const r = await compare(async () => (await get(page.api)).numbers, () => bare(page.sql, page.params), page.name, sameNumbers);
      results.push({ name: page.name, rows: r.rows, apiMs: r.aMs, bareMs: r.bMs });
    }
    console.log(`\nstaff search page through the API vs the bare SQL of the same page, median of ${RUNS} runs each (ms), ratio = API / bare`);
    console.log(`${'page (GET /api/v1/invoices)'.padEnd(46)} ${'rows'.padStart(5)} ${'API'.padStart(8)} ${'bare SQL'.padStart(8)}    ratio`);
    for (const r of results) console.log(`${pad(r.name, 46)} ${String(r.rows).padStart(5)} ${fmt(r.apiMs)} ${fmt(r.bareMs)} ${(r.apiMs / r.bareMs).toFixed(1).padStart(8)}`);

    // An export of the seller's every invoice: the streamed CSV against reading the same rows bare.
    /** Rows the CSV holds: its lines less the header (no field of the seed spans lines). */
    const exportCsv = async () => {
      const response = await fetch(`${api.base}/api/v1/invoices.csv?seller=${seller.ban}`, { headers: { Authorization: `Bearer ${api.key}` } });
      const text = await response.text();
      return text.split('\n').length - 2;
    };
    const bareRead = async () => (await db.query(`SELECT ${COLUMNS} FROM invoices i WHERE i.seller_id = $1 ORDER BY i.issued_at DESC, i.id DESC`, [seller.id])).length as number;
    const runs = Math.max(3, Math.floor(RUNS / 5));
    const exportMs: number[] = [];
    const bareMs: number[] = [];
    let rows = 0;
    for (let i = 0; i <= runs; i++) {
      const started = process.hrtime.bigint();
      rows = await exportCsv();
      const middle = process.hrtime.bigint();
      const bareRows = await bareRead();
      const ended = process.hrtime.bigint();
      if (bareRows !== rows) throw new Error(`export wrote ${rows} rows, the bare read ${bareRows}`);
      // The first round warms both up.
      if (i > 0) {
        exportMs.push(Number(middle - started) / 1e6);
        bareMs.push(Number(ended - middle) / 1e6);
      }
    }
    const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const [e, b] = [medianOf(exportMs), medianOf(bareMs)];
    console.log(`\nexport of one seller (${rows.toLocaleString('en')} rows), median of ${runs}: GET /invoices.csv ${(e / 1000).toFixed(2)} s (${Math.round(rows / (e / 1000)).toLocaleString('en')} rows/s)` +
      ` vs bare read of the same rows ${(b / 1000).toFixed(2)} s (${Math.round(rows / (b / 1000)).toLocaleString('en')} rows/s), ratio ${(e / b).toFixed(1)}`);
  } finally {
    await api.app.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
