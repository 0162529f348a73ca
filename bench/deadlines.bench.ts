import { InvoicesService } from '../libs/modules/invoices';
import { RUNS, compare, fmt, withBenchDatabases } from '../libs/dev/bench-kit';
import { CapturedQuery, planText, serviceQuery } from '../libs/dev/explain';

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
interface Case {
  name: string;
  run: (service: InvoicesService) => Promise<unknown[]>;
}

async function main(): Promise<void> {
  await withBenchDatabases(async ({ indexedDb, baselineDb, indexed, baseline, seed }) => {
    const [{ table, index }] = await indexedDb.query(
      `SELECT pg_size_pretty(pg_table_size('invoices')) AS table, pg_size_pretty(pg_relation_size('invoices_open_deadlines')) AS index`,
    );
    console.log(`invoices ${table}, invoices_open_deadlines ${index}`);

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
      const r = await compare(() => c.run(indexed), () => c.run(baseline), c.name, (x, y) => x.length === y.length);
      results.push({ name: c.name, rows: r.rows, indexedMs: r.aMs, baselineMs: r.bMs });
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
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
