import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InvoicesService } from '../modules/invoices';
import { invoiceReader } from './explain';
import { openDatabase } from '../infra/persistence/data-source';
import { databaseUrl, withClient } from '../infra/persistence/postgres-admin';
import { SeedResult, seedInvoices } from './seed-invoices';

/** BENCH_DATABASE_URL (admin connection, default the local server), BENCH_INVOICES, BENCH_SELLERS, BENCH_RUNS. */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
export const SELLERS = Number(process.env.BENCH_SELLERS ?? 20);
export const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** The baseline's planner may not use any index: what is left is the sequential scan the indexes exist to avoid. */
const NO_INDEX = '-c enable_indexscan=off -c enable_indexonlyscan=off -c enable_bitmapscan=off';

export interface BenchDatabases {
  indexedDb: DataSource;
  baselineDb: DataSource;
  indexed: InvoicesService;
  baseline: InvoicesService;
  seed: SeedResult;
}

const admin = (sql: string) => withClient(ADMIN_URL, (client) => client.query(sql));

/**
 * A scratch database with the seeded invoices, reached twice: through the normal connection and through one where no
 * index may be used. Dropped afterwards, whatever happens.
 */
export async function withBenchDatabases(body: (dbs: BenchDatabases) => Promise<void>): Promise<void> {
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
    console.log(
      `seeded in ${(seed.timings.loadMs / 1000).toFixed(1)} s (+ ledger check ${(seed.timings.verifyMs / 1000).toFixed(1)} s,` +
        ` VACUUM ANALYZE ${(seed.timings.vacuumMs / 1000).toFixed(1)} s); deadline states: ${JSON.stringify(seed.counts)}`,
    );
    baselineDb = await new DataSource({ type: 'postgres', url, extra: { max: 1, options: NO_INDEX } }).initialize();
    const [settings] = await baselineDb.query(
      `SELECT current_setting('enable_indexscan') AS i, current_setting('enable_indexonlyscan') AS o, current_setting('enable_bitmapscan') AS b`,
    );
    if (settings.i !== 'off' || settings.o !== 'off' || settings.b !== 'off') throw new Error(`baseline connection still allows index scans: ${JSON.stringify(settings)}`);
    await body({
      indexedDb,
      baselineDb,
      indexed: invoiceReader(indexedDb),
      baseline: invoiceReader(baselineDb),
      seed,
    });
  } finally {
    if (baselineDb?.isInitialized) await baselineDb.destroy();
    if (indexedDb?.isInitialized) await indexedDb.destroy();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export async function timed<T>(run: () => Promise<T[]>): Promise<{ ms: number; rows: T[] }> {
  const started = process.hrtime.bigint();
  const rows = await run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(8);

/**
 * Runs a then b alternately, after one warm-up each, so both see the same cache and machine load; returns medians.
 * `same` checks the two sides answered the same rows, so the comparison is of equals.
 */
export async function compare<T>(a: () => Promise<T[]>, b: () => Promise<T[]>, what: string, same: (x: T[], y: T[]) => boolean): Promise<{ rows: number; aMs: number; bMs: number }> {
  const warmA = await timed(a);
  const warmB = await timed(b);
  if (!same(warmA.rows, warmB.rows)) throw new Error(`${what}: the two sides returned different rows`);
  const aMs: number[] = [];
  const bMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    aMs.push((await timed(a)).ms);
    bMs.push((await timed(b)).ms);
  }
  return { rows: warmA.rows.length, aMs: median(aMs), bMs: median(bMs) };
}
