import { DataSource } from 'typeorm';
import { BOOKLET_SIZE, periodOf } from '../libs/domain';
import { NumberAllocator } from '../libs/modules/numbers';
import { Figure, inParallel, printFigures, sizeFromEnv } from './support/bench-report';
import { withScratchDatabase } from './support/scratch-database';

/**
 * Numbers per second through NumberAllocator (one number per transaction, as `POST /invoices` takes them) against a
 * bare `UPDATE … RETURNING` of one counter row in autocommit: the least any serialised counter costs on this
 * PostgreSQL. Both sides run with the same pool and the same number of concurrent callers. The same UPDATE inside a
 * transaction (BEGIN and COMMIT are two more round trips) is printed too: no allocator that hands numbers back on a
 * rollback can do better.
 *
 *   BENCH_ALLOC_N (default 2000 allocations per side and concurrency), BENCH_DATABASE_URL
 */
const N = sizeFromEnv('BENCH_ALLOC_N', 2000);
const CONCURRENCY = [1, 20];
/** Booklets the seller's pool lets hand out numbers at once in the last run (sellers.pool_parallel_booklets). */
const PARALLEL_BOOKLETS = 4;
const RUNS = CONCURRENCY.length + 1;

async function seedSeller(db: DataSource): Promise<string> {
  const booklets = Math.ceil((N * RUNS) / BOOKLET_SIZE) + PARALLEL_BOOKLETS;
  const [{ id }] = await db.query(`INSERT INTO sellers (ban, name) VALUES ('12345675', 'Bench seller') RETURNING id`);
  const [{ id: rangeId }] = await db.query(
    `INSERT INTO track_ranges (seller_id, period, invoice_type, track, start_no, end_no, source_file)
     VALUES ($1, $2, '07', 'AB', 0, $3, 'bench') RETURNING id`,
    [id, periodOf(new Date()).code, booklets * BOOKLET_SIZE - 1],
  );
  await db.query(
    `INSERT INTO booklets (track_range_id, seller_id, period, invoice_type, track, start_no)
     SELECT $1, $2, $3, '07', 'AB', g * ${BOOKLET_SIZE} FROM generate_series(0, $4 - 1) g`,
    [rangeId, id, periodOf(new Date()).code, booklets],
  );
  await db.query(`CREATE TABLE bench_counter (id int PRIMARY KEY, n bigint NOT NULL); INSERT INTO bench_counter VALUES (1, 0)`);
  return id;
}

async function rate(concurrency: number, one: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await inParallel(Array.from({ length: N }), concurrency, async () => void (await one()));
  return N / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  await withScratchDatabase(Math.max(...CONCURRENCY), async (db) => {
    const sellerId = await seedSeller(db);
    const allocator = new NumberAllocator();
    const allocate = () => db.transaction((manager) => allocator.allocate(manager, { sellerId, invoiceDate: new Date(), count: 1 }));
    const bare = () => db.query(`UPDATE bench_counter SET n = n + 1 WHERE id = 1 RETURNING n`);
    // What any allocation that rolls back with its invoice costs before it does anything: BEGIN and COMMIT round trips.
    const bareInTransaction = () => db.transaction((manager) => manager.query(`UPDATE bench_counter SET n = n + 1 WHERE id = 1 RETURNING n`));
    await rate(1, bare); // warm the pool's connections and the plans
    const figures: Figure[] = [];
    for (const concurrency of CONCURRENCY) {
      const baseline = await rate(concurrency, bare);
      const project = await rate(concurrency, allocate);
      const ceiling = await rate(concurrency, bareInTransaction);
      figures.push({ name: `allocation, ${concurrency} concurrent caller(s)`, unit: 'numbers/s, ratio = allocator / bare UPDATE', project, baseline });
      figures.push({ name: `  the same UPDATE in a transaction, ${concurrency} caller(s)`, unit: 'numbers/s, the ceiling of a transactional allocator', project: ceiling, baseline });
    }
    await db.query(`UPDATE sellers SET pool_parallel_booklets = $2 WHERE id = $1`, [sellerId, PARALLEL_BOOKLETS]);
    const concurrency = Math.max(...CONCURRENCY);
    const baseline = await rate(concurrency, bare);
    figures.push({ name: `allocation, ${concurrency} callers, ${PARALLEL_BOOKLETS} booklets at once`, unit: 'numbers/s, ratio = allocator / bare UPDATE', project: await rate(concurrency, allocate), baseline });
    const [{ allocated, distinct }] = await db.query(`SELECT count(*)::int AS allocated, count(DISTINCT invoice_number)::int AS distinct FROM allocated_numbers`);
    if (allocated !== N * RUNS || distinct !== allocated) throw new Error(`expected ${N * RUNS} distinct numbers, found ${allocated} (${distinct} distinct)`);
    printFigures(`number allocation (${N.toLocaleString('en')} allocations of one number per side and concurrency)`, figures);
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
