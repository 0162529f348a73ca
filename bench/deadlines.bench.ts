import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { databaseUrl, withClient } from '../libs/persistence/postgres-admin';
import { InvoicesService } from '../libs/invoices/invoices.service';
import { openDatabase } from '../libs/persistence/data-source';
import { CapturedQuery, planText, serviceQuery } from './explain';
import { seedInvoices } from './seed-invoices';

/**
 * The deadline listings on a million invoices, through InvoicesService, against a baseline measured in the same run:
 * the same service on a connection where the planner may not use any index (so invoices_open_deadlines neither),
 * which leaves it the sequential scan the partial index exists to avoid. Prints median times, ratio = baseline /
 * indexed, and both EXPLAIN (ANALYZE, BUFFERS) plans.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/bench/deadlines.bench.js
 *
 * BENCH_DATABASE_URL (admin connection, default the local server), BENCH_INVOICES (default 1,000,000),
 * BENCH_SELLERS (20), BENCH_RUNS (15) adjust it.
 */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const SELLERS = Number(process.env.BENCH_SELLERS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const NO_INDEX = '-c enable_indexscan=off -c enable_indexonlyscan=off -c enable_bitmapscan=off';

interface Case {
  name: string;
  run: (service: InvoicesService) => Promise<unknown[]>;
}

const admin = (sql: string) => withClient(ADMIN_URL, (client) => client.query(sql));

async function timed(run: () => Promise<unknown[]>): Promise<{ ms: number; rows: number }> {
  const started = process.hrtime.bigint();
  const rows = await run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows: rows.length };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(8);

async function main(): Promise<void> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = databaseUrl(ADMIN_URL, name);
  let indexedDb: DataSource | undefined;
  let baselineDb: DataSource | undefined;
  try {
    indexedDb = await openDatabase(url, { poolSize: 2 });
    const [{ version }] = await indexedDb.query(`SELECT current_setting('server_version') AS version`);
    console.log(`PostgreSQL ${version}; seeding ${INVOICES.toLocaleString('en')} invoices for ${SELLERS} sellers into ${name} …`);
    const seed = await seedInvoices(indexedDb, { invoices: INVOICES, sellers: SELLERS });
    const [{ table, index }] = await indexedDb.query(
      `SELECT pg_size_pretty(pg_table_size('invoices')) AS table, pg_size_pretty(pg_relation_size('invoices_open_deadlines')) AS index`,
    );
    console.log(
      `seeded in ${(seed.timings.loadMs / 1000).toFixed(1)} s (+ ledger check ${(seed.timings.verifyMs / 1000).toFixed(1)} s,` +
        ` VACUUM ANALYZE ${(seed.timings.vacuumMs / 1000).toFixed(1)} s); invoices ${table}, invoices_open_deadlines ${index}`,
    );
    console.log(`deadline states: ${JSON.stringify(seed.counts)}`);

    baselineDb = await new DataSource({ type: 'postgres', url, extra: { max: 1, options: NO_INDEX } }).initialize();
    const [settings] = await baselineDb.query(
      `SELECT current_setting('enable_indexscan') AS i, current_setting('enable_indexonlyscan') AS o, current_setting('enable_bitmapscan') AS b`,
    );
    if (settings.i !== 'off' || settings.o !== 'off' || settings.b !== 'off') throw new Error(`baseline connection still allows index scans: ${JSON.stringify(settings)}`);
    const indexed = new InvoicesService(indexedDb, undefined as never, undefined as never);
    const baseline = new InvoicesService(baselineDb, undefined as never, undefined as never);

    // The seller with the most overdue invoices: the listing a dashboard would open first.
    const [{ seller_id: sellerId }] = await indexedDb.query(
      `SELECT seller_id FROM invoices WHERE deadline_state = 'overdue' GROUP BY seller_id ORDER BY count(*) DESC, seller_id LIMIT 1`,
    );
    const now = seed.now;
    const cases: Case[] = [
      {
        name: 'per-seller listing (state=overdue, within=8h)',
        run: (s) => s.deadlines({ sellerId, states: ['overdue'], withinMs: 8 * 3600_000, now }),
      },
      { name: 'cross-seller listing (state=overdue)', run: (s) => s.deadlines({ states: ['overdue'], now }) },
      { name: 'summary (deadlineSummary)', run: (s) => s.deadlineSummary() },
    ];

    const results: { name: string; rows: number; indexedMs: number; baselineMs: number }[] = [];
    for (const c of cases) {
      // One warm-up each, then alternate so both see the same cache and machine load.
      const warmIndexed = await timed(() => c.run(indexed));
      const warmBaseline = await timed(() => c.run(baseline));
      if (warmIndexed.rows !== warmBaseline.rows) throw new Error(`${c.name}: ${warmIndexed.rows} rows indexed, ${warmBaseline.rows} without the index`);
      const indexedMs: number[] = [];
      const baselineMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        indexedMs.push((await timed(() => c.run(indexed))).ms);
        baselineMs.push((await timed(() => c.run(baseline))).ms);
      }
      results.push({ name: c.name, rows: warmIndexed.rows, indexedMs: median(indexedMs), baselineMs: median(baselineMs) });
    }

    console.log(`\nmedian of ${RUNS} runs each (ms), baseline = same query with index scans disabled, ratio = baseline / indexed`);
    console.log(`${'query'.padEnd(48)} ${'rows'.padStart(6)} ${'indexed'.padStart(8)} ${'baseline'.padStart(8)}    ratio`);
    for (const r of results) {
      console.log(
        `${r.name.padEnd(48)} ${String(r.rows).padStart(6)} ${fmt(r.indexedMs)} ${fmt(r.baselineMs)} ${(r.baselineMs / r.indexedMs).toFixed(1).padStart(8)}`,
      );
    }

    for (const c of cases) {
      const query: CapturedQuery = await serviceQuery(c.run);
      console.log(`\n=== ${c.name}: indexed ===\n${await planText(indexedDb, query)}`);
      console.log(`\n=== ${c.name}: baseline ===\n${await planText(baselineDb, query)}`);
    }
  } finally {
    if (baselineDb?.isInitialized) await baselineDb.destroy();
    if (indexedDb?.isInitialized) await indexedDb.destroy();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
