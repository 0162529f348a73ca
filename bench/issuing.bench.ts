import { randomBytes } from 'node:crypto';
import { Figure, inParallel, median, percentile, printFigures, sizeFromEnv } from './support/bench-report';
import { BenchStack, seedBenchSeller, withBenchStack } from './support/bench-stack';
import { BANS, b2cOrder, b2cRow, orderWorkbook } from '../libs/dev/fixtures';

/**
 * Issuing on the real stack (PostgreSQL, a Temporal dev server, worker, API, simulator, all on this machine) against
 * bare workflow starts on the same server: what Temporal alone costs per invoice.
 *
 *   BENCH_ISSUE_ROWS (default 2000: the import, and the bare starts), BENCH_POST_INVOICES (default 400 per
 *   concurrency), BENCH_LIFECYCLE_SAMPLE (default 200 histories read), BENCH_DATABASE_URL
 */
const ROWS = sizeFromEnv('BENCH_ISSUE_ROWS', 2000);
const POSTS = sizeFromEnv('BENCH_POST_INVOICES', 400);
const SAMPLE = sizeFromEnv('BENCH_LIFECYCLE_SAMPLE', 200);
const POLL_MS = 50;

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Starts of a workflow type no worker polls for: the server's own cost of a start, nothing of ours. */
async function bareStarts(stack: BenchStack, count: number, concurrency: number): Promise<number> {
  const queue = `bench-bare-${randomBytes(4).toString('hex')}`;
  const started = process.hrtime.bigint();
  await inParallel(Array.from({ length: count }), concurrency, async (_, i) => {
    await stack.client.workflow.start('benchBare', { taskQueue: queue, workflowId: `${queue}-${i}`, args: [{ i }] });
  });
  return count / seconds(started);
}

async function importRun(stack: BenchStack): Promise<{ toDone: number; toAccepted: number }> {
  const rows = Array.from({ length: ROWS }, (_, i) => b2cRow(`BENCH-${String(i).padStart(6, '0')}`));
  const preview = await stack.http().post(`/api/v1/sellers/${BANS.seller}/imports`).set(stack.admin).attach('file', await orderWorkbook(rows), 'bench.xlsx').expect(201);
  if (preview.body.rowsImportable !== ROWS) throw new Error(`preview: ${JSON.stringify(preview.body).slice(0, 500)}`);
  const id: string = preview.body.id;
  const started = process.hrtime.bigint();
  await stack.http().post(`/api/v1/imports/${id}/confirm`).set(stack.admin).expect(202);
  await until(async () => (await stack.db.query(`SELECT state FROM order_imports WHERE id = $1`, [id]))[0].state === 'done', 30 * 60_000, 'import done');
  const toDone = seconds(started);
  await until(
    async () => (await stack.db.query(`SELECT count(*)::int AS n FROM invoices WHERE import_id = $1 AND status = 'accepted'`, [id]))[0].n === ROWS,
    30 * 60_000,
    'every imported invoice accepted',
  );
  return { toDone: ROWS / toDone, toAccepted: ROWS / seconds(started) };
}

async function postRun(stack: BenchStack, concurrency: number): Promise<{ rate: number; p50: number; p95: number }> {
  const latencies: number[] = [];
  const tag = randomBytes(3).toString('hex');
  const started = process.hrtime.bigint();
  await inParallel(Array.from({ length: POSTS }), concurrency, async (_, i) => {
    const t = process.hrtime.bigint();
    await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin).send(b2cOrder(`POST-${tag}-${i}`)).expect(201);
    latencies.push(seconds(t) * 1000);
  });
  return { rate: POSTS / seconds(started), p50: median(latencies), p95: percentile(latencies, 95) };
}

/** Events in each accepted lifecycle's history, and activity attempts (each retry is another round of tasks). */
async function lifecycleCosts(stack: BenchStack): Promise<{ events: number[]; attempts: number[]; activities: number[] }> {
  const invoices: { number: string }[] = await stack.db.query(
    `SELECT invoice_number AS number FROM invoices WHERE status = 'accepted' ORDER BY random() LIMIT $1`,
    [SAMPLE],
  );
  const events: number[] = [];
  const attempts: number[] = [];
  const activities: number[] = [];
  await inParallel(invoices, 10, async ({ number }) => {
    const handle = stack.client.workflow.getHandle(`invoice:${BANS.seller}:${number}`);
    await until(async () => (await handle.describe()).status.name !== 'RUNNING', 120_000, `lifecycle of ${number} closed`);
    const history = await handle.fetchHistory();
    const all = history.events ?? [];
    events.push(all.length);
    activities.push(all.filter((e) => e.activityTaskScheduledEventAttributes).length);
    attempts.push(all.reduce((sum, e) => sum + (e.activityTaskStartedEventAttributes?.attempt ?? 0), 0));
  });
  return { events, attempts, activities };
}

async function main(): Promise<void> {
  await withBenchStack(async (stack) => {
    await seedBenchSeller(stack, ROWS + 2 * POSTS + 50);
    // Each baseline is measured just before what it is compared with: the server's history file grows by thousands
    // of workflows over the run, and a baseline from its empty start would flatter it.
    const bare20 = await bareStarts(stack, ROWS, 20);
    const imported = await importRun(stack);
    const bare1 = await bareStarts(stack, Math.min(ROWS, POSTS), 1);
    const post1 = await postRun(stack, 1);
    const bare20Posts = await bareStarts(stack, Math.min(ROWS, POSTS), 20);
    const post20 = await postRun(stack, 20);
    const costs = await lifecycleCosts(stack);
    const figures: Figure[] = [
      { name: `import ${ROWS.toLocaleString('en')} rows, confirm → done`, unit: 'invoices/s vs bare starts/s, 20 parallel', project: imported.toDone, baseline: bare20 },
      { name: `import ${ROWS.toLocaleString('en')} rows, confirm → all accepted`, unit: 'invoices/s vs bare starts/s, 20 parallel', project: imported.toAccepted, baseline: bare20 },
      { name: `POST /invoices, 1 caller (p50 ${post1.p50.toFixed(0)} ms, p95 ${post1.p95.toFixed(0)} ms)`, unit: 'invoices/s vs bare starts/s, 1 at a time', project: post1.rate, baseline: bare1 },
      { name: `POST /invoices, 20 callers (p50 ${post20.p50.toFixed(0)} ms, p95 ${post20.p95.toFixed(0)} ms)`, unit: 'invoices/s vs bare starts/s, 20 parallel', project: post20.rate, baseline: bare20Posts },
    ];
    printFigures(`issuing on the real stack (bare starts: ${ROWS.toLocaleString('en')} at 20 parallel before the import, ${Math.min(ROWS, POSTS)} one at a time and ${Math.min(ROWS, POSTS)} at 20 parallel before the POSTs)`, figures);
    console.log(`\nper accepted lifecycle, ${costs.events.length} histories read from the server`);
    console.log(`  history events     median ${median(costs.events)}, p95 ${percentile(costs.events, 95)}`);
    console.log(`  activities         median ${median(costs.activities)}, p95 ${percentile(costs.activities, 95)}`);
    console.log(`  activity attempts  median ${median(costs.attempts)}, p95 ${percentile(costs.attempts, 95)}`);
    console.log(`BENCH-FIGURE ${JSON.stringify({ bench: 'lifecycle', events: { p50: median(costs.events), p95: percentile(costs.events, 95) }, attempts: { p50: median(costs.attempts), p95: percentile(costs.attempts, 95) } })}`);
  });
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
