import { randomBytes } from 'node:crypto';
import { Figure, inParallel, median, percentile, printFigures, sizeFromEnv } from './support/bench-report';
import { BenchStack, BenchTemporal, benchProcesses, benchTemporalModes, benchWorkers, seedBenchSeller, withBenchStack } from './support/bench-stack';
import { BARE_LIFECYCLE } from './support/bare-worker';
import { CpuSample, POSTGRES_FOR_TEMPORAL, cpuBetween, sampleCpu } from './support/process-cpu';
import { BANS, b2cOrder, b2cRow, orderWorkbook } from '../libs/dev/fixtures';

/**
 * Issuing on the real stack (PostgreSQL, a Temporal server, worker, API, simulator, all on this machine) against two
 * floors on the same server: bare starts (what Temporal alone costs per start) and bare lifecycles (a workflow that
 * runs one no-op local activity and completes: what an accepted lifecycle minimally is). Each run reports the CPU
 * of the Temporal server, our Node process and PostgreSQL per 1,000 invoices.
 *
 *   BENCH_TEMPORAL (dev, postgres or both; default dev), BENCH_PROCESSES (apart, the default: API, worker and
 *   simulator each in a process of its own, as production; one: all in this process, as `npm start`), BENCH_ISSUE_ROWS (default 2000: the import and its
 *   baselines), BENCH_POST_INVOICES (default 400 per concurrency), BENCH_LIFECYCLE_SAMPLE (default 200 histories
 *   read of each kind), BENCH_DATABASE_URL
 */
const ROWS = sizeFromEnv('BENCH_ISSUE_ROWS', 2000);
const POSTS = sizeFromEnv('BENCH_POST_INVOICES', 400);
const SAMPLE = sizeFromEnv('BENCH_LIFECYCLE_SAMPLE', 200);
const POST_CALLERS = [5, 20, 50];
const POLL_MS = 50;
const DRAIN_MS = 30 * 60_000;

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

interface Timed {
  rate: number;
  p50?: number;
  p95?: number;
}

/** One measured run: its figure and the CPU each process group spent from its start until its work had drained. */
interface Run extends Timed {
  label: string;
  count: number;
  cpu: CpuSample;
}

async function measured<T extends Timed>(stack: BenchStack, label: string, count: number, work: () => Promise<T>): Promise<T & { run: Run }> {
  const before = await sampleCpu(stack.cpu);
  const result = await work();
  const cpu = cpuBetween(before, await sampleCpu(stack.cpu));
  return { ...result, run: { label, count, rate: result.rate, p50: result.p50, p95: result.p95, cpu } };
}

const latencyFigures = (latencies: number[]) => ({ p50: median(latencies), p95: percentile(latencies, 95) });

/** Starts of a workflow type no worker polls for: the server's own cost of a start, nothing of ours. */
async function bareStarts(stack: BenchStack, count: number, concurrency: number): Promise<Timed> {
  const queue = `bench-bare-${randomBytes(4).toString('hex')}`;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await inParallel(Array.from({ length: count }), concurrency, async (_, i) => {
    const t = process.hrtime.bigint();
    await stack.client.workflow.start('benchBare', { taskQueue: queue, workflowId: `${queue}-${i}`, args: [{ i }] });
    latencies.push(seconds(t) * 1000);
  });
  return { rate: count / seconds(started), ...latencyFigures(latencies) };
}

/** The bare lifecycles' worker and task queue, and every one started so far (their histories are sampled at the end). */
interface BareLifecycles {
  taskQueue: string;
  started: string[];
}

/**
 * Bare lifecycles started as POST and the import start ours: `rate` is starts/s while the worker runs them, `toDone`
 * lifecycles completed/s from the first start until the server lists the last one as completed.
 */
async function bareLifecycles(stack: BenchStack, bare: BareLifecycles, count: number, concurrency: number): Promise<Timed & { toDone: number }> {
  const prefix = `${bare.taskQueue}-${randomBytes(3).toString('hex')}`;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await inParallel(Array.from({ length: count }), concurrency, async (_, i) => {
    const t = process.hrtime.bigint();
    const handle = await stack.client.workflow.start(BARE_LIFECYCLE, { taskQueue: bare.taskQueue, workflowId: `${prefix}-${i}` });
    latencies.push(seconds(t) * 1000);
    bare.started.push(handle.workflowId);
  });
  const startsDone = seconds(started);
  const expected = bare.started.length;
  const query = `TaskQueue = "${bare.taskQueue}" AND ExecutionStatus = "Completed"`;
  await until(async () => (await stack.client.workflow.count(query)).count >= expected, DRAIN_MS, 'bare lifecycles completed');
  return { rate: count / startsDone, toDone: count / seconds(started), ...latencyFigures(latencies) };
}

const allAccepted = async (stack: BenchStack) => (await stack.db.query(`SELECT count(*)::int AS n FROM invoices WHERE status <> 'accepted'`))[0].n === 0;

async function importRun(stack: BenchStack): Promise<Timed & { toDone: number }> {
  const rows = Array.from({ length: ROWS }, (_, i) => b2cRow(`BENCH-${String(i).padStart(6, '0')}`));
  const preview = await stack.http().post(`/api/v1/sellers/${BANS.seller}/imports`).set(stack.admin).attach('file', await orderWorkbook(rows), 'bench.xlsx').expect(201);
  if (preview.body.rowsImportable !== ROWS) throw new Error(`preview: ${JSON.stringify(preview.body).slice(0, 500)}`);
  const id: string = preview.body.id;
  const started = process.hrtime.bigint();
  await stack.http().post(`/api/v1/imports/${id}/confirm`).set(stack.admin).expect(202);
  await until(async () => (await stack.db.query(`SELECT state FROM order_imports WHERE id = $1`, [id]))[0].state === 'done', DRAIN_MS, 'import done');
  const toDone = seconds(started);
  await until(
    async () => (await stack.db.query(`SELECT count(*)::int AS n FROM invoices WHERE import_id = $1 AND status = 'accepted'`, [id]))[0].n === ROWS,
    DRAIN_MS,
    'every imported invoice accepted',
  );
  return { toDone: ROWS / toDone, rate: ROWS / seconds(started) };
}

/** `rate` is 201s/s; the run (and its CPU) lasts until every invoice it issued is accepted. */
async function postRun(stack: BenchStack, concurrency: number): Promise<Timed> {
  const latencies: number[] = [];
  const tag = randomBytes(3).toString('hex');
  const started = process.hrtime.bigint();
  await inParallel(Array.from({ length: POSTS }), concurrency, async (_, i) => {
    const t = process.hrtime.bigint();
    await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin).send(b2cOrder(`POST-${tag}-${i}`)).expect(201);
    latencies.push(seconds(t) * 1000);
  });
  const rate = POSTS / seconds(started);
  await until(() => allAccepted(stack), DRAIN_MS, 'every posted invoice accepted');
  return { rate, ...latencyFigures(latencies) };
}

interface HistoryCosts {
  events: number[];
  activities: number[];
  attempts: number[];
}

/** Events in each closed workflow's history, and activity attempts (each retry is another round of tasks). */
async function historyCosts(stack: BenchStack, workflowIds: string[]): Promise<HistoryCosts> {
  const costs: HistoryCosts = { events: [], activities: [], attempts: [] };
  await inParallel(workflowIds, 10, async (workflowId) => {
    const handle = stack.client.workflow.getHandle(workflowId);
    await until(async () => (await handle.describe()).status.name !== 'RUNNING', 120_000, `${workflowId} closed`);
    const all = (await handle.fetchHistory()).events ?? [];
    costs.events.push(all.length);
    costs.activities.push(all.filter((e) => e.activityTaskScheduledEventAttributes).length);
    costs.attempts.push(all.reduce((sum, e) => sum + (e.activityTaskStartedEventAttributes?.attempt ?? 0), 0));
  });
  return costs;
}

function sample<T>(items: T[], size: number): T[] {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, size);
}

const fixed = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));

/** Every run's rate and latency, and whose CPU it took: seconds per 1,000 invoices (or workflows) of each process group. */
function printRuns(title: string, runs: Run[]): void {
  const groups = [...new Set(runs.flatMap((run) => Object.keys(run.cpu)))];
  console.log(`\n${title}`);
  console.log(`${'run'.padEnd(40)} ${'n'.padStart(5)} ${'rate/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)}  CPU s per 1,000: ${[...groups, 'all'].join(' | ')}`);
  for (const run of runs) {
    const perThousand = Object.fromEntries(groups.map((group) => [group, ((run.cpu[group] ?? 0) * 1000) / run.count]));
    const total = groups.filter((group) => group !== POSTGRES_FOR_TEMPORAL).reduce((sum, group) => sum + perThousand[group], 0);
    const cells = [...groups.map((group) => perThousand[group].toFixed(1)), total.toFixed(1)].join(' | ');
    console.log(`${run.label.padEnd(40)} ${String(run.count).padStart(5)} ${fixed(run.rate, 1).padStart(7)} ${fixed(run.p50).padStart(7)} ${fixed(run.p95).padStart(7)}  ${cells}`);
  }
  for (const run of runs) console.log(`BENCH-FIGURE ${JSON.stringify({ bench: title, ...run })}`);
}

function printHistories(kind: string, costs: HistoryCosts): void {
  const line = (what: string, values: number[]) => `  ${what.padEnd(18)} median ${median(values)}, p95 ${percentile(values, 95)}`;
  console.log(`\nper ${kind}, ${costs.events.length} histories read from the server`);
  console.log(line('history events', costs.events));
  console.log(line('activities', costs.activities));
  console.log(line('activity attempts', costs.attempts));
}

async function benchOn(mode: BenchTemporal): Promise<void> {
  await withBenchStack(mode, benchProcesses(), benchWorkers(), async (stack) => {
    await seedBenchSeller(stack, ROWS + POST_CALLERS.length * POSTS + 50);
    const bare: BareLifecycles = { taskQueue: `bench-lifecycle-${randomBytes(4).toString('hex')}`, started: [] };
    const bareWorker = await stack.startBareWorker(bare.taskQueue);
    try {
      const runs: Run[] = [];
      const vsStarts: Figure[] = [];
      const vsLifecycles: Figure[] = [];
      // Each baseline is measured just before what it is compared with: the server's history grows by thousands of
      // workflows over the run, and a baseline from its empty start would flatter it.
      const starts20 = await measured(stack, `bare starts, 20 parallel`, ROWS, () => bareStarts(stack, ROWS, 20));
      const lifecycles20 = await measured(stack, `bare lifecycles, 20 parallel`, ROWS, () => bareLifecycles(stack, bare, ROWS, 20));
      const imported = await measured(stack, `import, confirm → all accepted`, ROWS, () => importRun(stack));
      runs.push(starts20.run, lifecycles20.run, imported.run);
      const rows = ROWS.toLocaleString('en');
      vsStarts.push(
        { name: `import ${rows} rows, confirm → done`, unit: 'invoices/s vs bare starts/s, 20 parallel', project: imported.toDone, baseline: starts20.rate },
        { name: `import ${rows} rows, confirm → all accepted`, unit: 'invoices/s vs bare starts/s, 20 parallel', project: imported.rate, baseline: starts20.rate },
      );
      vsLifecycles.push(
        { name: `import ${rows} rows, confirm → done`, unit: 'invoices/s vs bare lifecycles completed/s, 20 parallel', project: imported.toDone, baseline: lifecycles20.toDone },
        { name: `import ${rows} rows, confirm → all accepted`, unit: 'invoices/s vs bare lifecycles completed/s, 20 parallel', project: imported.rate, baseline: lifecycles20.toDone },
      );
      for (const callers of POST_CALLERS) {
        const starts = await measured(stack, `bare starts, ${callers} callers`, POSTS, () => bareStarts(stack, POSTS, callers));
        const lifecycles = await measured(stack, `bare lifecycles, ${callers} callers`, POSTS, () => bareLifecycles(stack, bare, POSTS, callers));
        const posted = await measured(stack, `POST /invoices, ${callers} callers`, POSTS, () => postRun(stack, callers));
        runs.push(starts.run, lifecycles.run, posted.run);
        const name = `POST /invoices, ${callers} callers (p50 ${fixed(posted.p50)}, p95 ${fixed(posted.p95)} ms)`;
        vsStarts.push({ name, unit: `invoices/s vs bare starts/s (p50 ${fixed(starts.p50)}, p95 ${fixed(starts.p95)} ms)`, project: posted.rate, baseline: starts.rate });
        vsLifecycles.push(
          { name, unit: `invoices/s vs bare lifecycle starts/s (p50 ${fixed(lifecycles.p50)}, p95 ${fixed(lifecycles.p95)} ms)`, project: posted.rate, baseline: lifecycles.rate },
          { name: `  its p95 latency`, unit: 'ms vs the bare lifecycle starts’ p95 (lower is better)', project: posted.p95!, baseline: lifecycles.p95! },
        );
      }
      const on = `${stack.temporalServer}, BENCH_TEMPORAL=${mode}, BENCH_PROCESSES=${stack.processes}, BENCH_WORKERS=${stack.workers}`;
      printFigures(`issuing vs bare starts (${on})`, vsStarts);
      printFigures(`issuing vs bare lifecycles (${on})`, vsLifecycles);
      printRuns(`issuing runs and CPU by process (${on}; each run until its work has drained)`, runs);

      const accepted: { number: string }[] = await stack.db.query(`SELECT invoice_number AS number FROM invoices WHERE status = 'accepted' ORDER BY random() LIMIT $1`, [SAMPLE]);
      const lifecycles = await historyCosts(stack, accepted.map(({ number }) => `invoice:${BANS.seller}:${number}`));
      const bareCosts = await historyCosts(stack, sample(bare.started, SAMPLE));
      printHistories('accepted lifecycle', lifecycles);
      printHistories('bare lifecycle', bareCosts);
      console.log(
        `BENCH-FIGURE ${JSON.stringify({
          bench: `lifecycle (${on})`,
          events: { p50: median(lifecycles.events), p95: percentile(lifecycles.events, 95) },
          bareEvents: { p50: median(bareCosts.events), p95: percentile(bareCosts.events, 95) },
          attempts: { p50: median(lifecycles.attempts), p95: percentile(lifecycles.attempts, 95) },
        })}`,
      );
    } finally {
      await bareWorker.stop();
    }
  });
}

async function main(): Promise<void> {
  for (const mode of benchTemporalModes()) await benchOn(mode);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
