import { Client } from '@temporalio/client';
import { ChildProcess } from 'node:child_process';
import { TemporalLifecycleLookup } from '../../libs/adapters/temporal/lifecycle-lookup';
import { fromTaipei, periodOf } from '../../libs/domain';
import { InvoicesService } from '../../libs/modules/invoices';
import { SellersService } from '../../libs/modules/sellers';
import { InvariantsChecker } from '../../libs/modules/invariants';
import { eventually } from '../support/eventually';
import { TestStack, startTestStack } from '../support/test-stack';
import { killWorkerProcess, startWorkerProcess } from '../support/worker-process';
import { BANS, b2cOrder, mofCsv } from '../../libs/dev/fixtures';

/** 2,000 booklets: the run computes them in 8 chunks, so a kill can fall anywhere in the computation. */
const NUMBERS = 100_000;
const ISSUED = 5;

/**
 * The worker process SIGKILLed twice during a finance-started reconciliation: once as soon as the run is started (it
 * opens the run and computes the draft in chunks), once while its E0402 waits at Turnkey for the platform's verdict.
 * A new worker takes over each time; the draft holds exactly the blank numbers, the E0402 goes to Turnkey once and is
 * accepted, and every invariant holds.
 */
describe('a worker killed during a reconciliation', () => {
  let stack: TestStack;
  let worker: ChildProcess | undefined;
  const base = `/api/v1/sellers/${BANS.seller}`;
  // The period before the running one: it has ended, so its blank numbers can be reported.
  const current = periodOf(new Date());
  const last = current.endMonth === 2 ? { year: current.rocYear + 1910, month: 12 } : { year: current.rocYear + 1911, month: current.endMonth - 2 };
  const period = `${last.year - 1911}${String(last.month).padStart(2, '0')}`;
  const run = () => stack.http().get(`${base}/reconciliations/${period}`).set(stack.admin()).expect(200).then((r) => r.body);

  beforeAll(async () => {
    stack = await startTestStack({ withWorker: false });
    const http = stack.http;
    await http().post('/api/v1/sellers').set(stack.admin()).send({ ban: BANS.seller, name: '範例股份有限公司' }).expect(201);
    await http().post(`${base}/channels`).set(stack.admin()).send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] }).expect(201);
    const csv = mofCsv(BANS.seller, [{ track: 'AB', start: '10000000', end: String(10000000 + NUMBERS - 1), period }]);
    await http().post(`${base}/tracks/import`).set(stack.admin()).attach('file', csv, 'invnoapply.csv').expect(201);
  });
  afterAll(async () => {
    if (worker) await killWorkerProcess(worker);
    await stack.close();
  });

  it('computes, uploads once and is accepted, with every number used or blank', async () => {
    worker = startWorkerProcess(stack);
    const seller = await stack.app.get(SellersService).getSeller(BANS.seller);
    for (let i = 0; i < ISSUED; i++) await stack.app.get(InvoicesService).issue(seller, null, b2cOrder(`RK-${i}`), fromTaipei(last.year, last.month, 10, 12));
    await eventually(
      () => stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE status = 'accepted'`),
      (rows: { n: number }[]) => rows[0].n === ISSUED,
      120_000,
    );

    await stack.http().post(`${base}/reconciliations`).set(stack.admin()).send({ period }).expect(201);
    await killWorkerProcess(worker);
    worker = startWorkerProcess(stack);
    const draft = await eventually(run, (r) => r.state === 'draft', 180_000);
    expect(draft.progress).toEqual({ done: NUMBERS / 50, total: NUMBERS / 50 });
    expect(draft.tracks).toEqual([{ invoiceType: '07', track: 'AB', blank: NUMBERS - ISSUED, ranges: [{ begin: `AB${10000000 + ISSUED}`, end: `AB${10000000 + NUMBERS - 1}` }] }]);
    expect(draft.violations).toEqual([]);

    // The platform holds the E0402 at G; the worker dies while the run waits for the verdict.
    stack.simulator.settings.holdAtSent = true;
    await stack.http().post(`${base}/reconciliations/${period}/approve`).set(stack.admin()).expect(200);
    await eventually(run, (r) => r.state === 'sent', 120_000);
    await killWorkerProcess(worker);
    worker = startWorkerProcess(stack);
    stack.simulator.settings.holdAtSent = false;
    const accepted = await eventually(run, (r) => r.state === 'accepted', 180_000);
    expect(accepted.upload.reports.map((r: { track: string; state: string }) => `${r.track}:${r.state}`)).toEqual(['AB:accepted']);

    const e0402s: { status: string }[] = await stack.db.dataSource.query(`SELECT status FROM turnkey_message_log WHERE message_type = 'E0402'`);
    expect(e0402s).toEqual([{ status: 'C' }]);
    const report = await new InvariantsChecker(stack.db.dataSource).check(new TemporalLifecycleLookup(stack.app.get(Client)));
    expect(report.skipped).toEqual([]);
    expect(report.violations).toEqual([]);
  });
});
