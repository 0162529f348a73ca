import { Client } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkerApp } from '../apps/worker/create-worker-app';
import { RECONCILIATION_SCHEDULE_ID } from '../libs/adapters/temporal/reconciliation-schedule';
import { SWEEP_SCHEDULE_ID } from '../libs/adapters/temporal/maintenance-schedule';
import { WorkflowStarter } from '../libs/adapters/temporal/workflow-starter';
import { upcastBakDir } from '../libs/adapters/turnkey/turnkey-folders';
import { reconciliationStatusQuery, reconciliationWorkflowId } from '../libs/contracts/reconciliation';
import { blankReportTimes, fromTaipei, parsePeriod, periodOf, taipeiIsoDay } from '../libs/domain';
import { migChild, migChildren, migText, readMigXml } from '../libs/domain/mig/mig-read';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import { InvoicesService } from '../libs/modules/invoices';
import { NumberAllocator } from '../libs/modules/numbers';
import { SellersService } from '../libs/modules/sellers';
import { eventually } from './support/eventually';
import { TestStack, startTestStack } from './support/test-stack';
import { BANS, mofCsv } from '../libs/dev/fixtures';

const order = (billingNo: string): InvoiceInput => ({
  billingNo, taxType: '1', buyer: {}, print: true, lines: [{ description: '商品', quantity: 1, unitPrice: 100, amount: 100 }],
});

/** Every number of the ranges, as invoice numbers. */
const expand = (tracks: { ranges: { begin: string; end: string }[] }[]) =>
  tracks.flatMap((t) =>
    t.ranges.flatMap(({ begin, end }) => Array.from({ length: Number(end.slice(2)) - Number(begin.slice(2)) + 1 }, (_, i) => `${begin.slice(0, 2)}${String(Number(begin.slice(2)) + i).padStart(8, '0')}`)),
  );

describe('blank-number reconciliation (EINV450, E0402) through HTTP, Temporal and the Turnkey simulator', () => {
  let stack: TestStack;
  let finance: { Authorization: string };
  let viewer: { Authorization: string };
  // The period before the running one: it has ended, so it can be reported (the running one only checked).
  const current = periodOf(new Date());
  const previousEnd = current.endMonth === 2 ? { year: current.rocYear + 1910, month: 12 } : { year: current.rocYear + 1911, month: current.endMonth - 2 };
  const period = `${previousEnd.year - 1911}${String(previousEnd.month).padStart(2, '0')}`;
  const gregorian = `${previousEnd.year}${String(previousEnd.month).padStart(2, '0')}`;
  /** Invoices of the period are issued as of its last month's 10th, noon Taipei. */
  const issuedAt = fromTaipei(previousEnd.year, previousEnd.month, 10, 12);
  const base = `/api/v1/sellers/${BANS.seller}`;
  const run = (auth = finance) => stack.http().get(`${base}/reconciliations/${period}`).set(auth).then((r) => r.body);
  const detail = (number: string) => stack.http().get(`${base}/invoices/${number}`).set(stack.admin()).then((r) => r.body);
  const issue = async (billingNo: string, settle: 'accepted' | 'rejected' = 'accepted') => {
    const seller = await stack.app.get(SellersService).getSeller(BANS.seller);
    const number = (await stack.app.get(InvoicesService).issue(seller, null, order(billingNo), issuedAt)).invoice.invoiceNumber;
    await eventually(() => detail(number), (d) => d.status === settle);
    return number;
  };
  // The period's filing deadline has passed: a void needs its special approval number.
  const voidBody = (reason: string, mode?: string) => ({ reason, mode, approvalNumber: '財北國稅字第1150000001號' });

  beforeAll(async () => {
    // Turnkey counts as silent after a second: the E0402 held at G below raises turnkey.silent at once.
    stack = await startTestStack({ env: { TURNKEY_SILENT_SECONDS: '1' } });
    const http = stack.http;
    const staffKey = async (role: string, name: string) =>
      ({ Authorization: `Bearer ${(await http().post('/api/v1/api-keys').set(stack.admin()).send({ role, name }).expect(201)).body.key}` });
    finance = await staffKey('finance', '陳會計');
    viewer = await staffKey('viewer', 'wall screen');
    for (const ban of [BANS.seller, BANS.other]) await http().post('/api/v1/sellers').set(stack.admin()).send({ ban, name: `賣方 ${ban}` }).expect(201);
    await http().post(`${base}/channels`).set(stack.admin()).send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] }).expect(201);
    // Own booklets AB…000–049 (partly used) and AB…050–099 (untouched), a third-party booklet AC, an untouched track AD.
    const csv = mofCsv(BANS.seller, [
      { track: 'AB', start: '10000000', end: '10000099', period: gregorian },
      { track: 'AC', start: '20000000', end: '20000049', period: gregorian },
      { track: 'AD', start: '30000000', end: '30000049', period: gregorian },
    ]);
    await http().post(`${base}/tracks/import`).set(finance).attach('file', csv, 'invnoapply.csv').expect(201);
    const tracks = (await http().get(`${base}/tracks?period=${period}`).set(viewer).expect(200)).body.tracks;
    const momo = tracks.find((t: { track: string }) => t.track === 'AC').booklets[0].id;
    await http().patch(`${base}/booklets/${momo}`).set(finance).send({ thirdParty: 'MOMO' }).expect(200);
    await http().put(`${base}/booklets/${momo}/blank-start`).set(finance).send({ blankStart: 'AC20000030' }).expect(200);

    await issue('R-0'); // AB10000000: used
    const voided = await issue('R-1'); // AB10000001: voided, still used
    await stack.http().post(`${base}/invoices/${voided}/void`).set(stack.admin()).send(voidBody('訂單取消')).expect(200);
    await eventually(() => detail(voided), (d) => d.messages.length === 1 && d.messages[0].status === 'accepted');
    // AB10000002: taken by the allocator and never issued (跳號)
    const [{ id: sellerId }] = await stack.db.dataSource.query(`SELECT id FROM sellers WHERE ban = $1`, [BANS.seller]);
    await stack.db.dataSource.transaction((m) => new NumberAllocator().allocate(m, { sellerId, invoiceDate: issuedAt, count: 1 }));
    stack.simulator.settings.rejectNext = 1;
    const cancelled = await issue('R-3', 'rejected'); // AB10000003: cancelled as blank
    await stack.http().post(`${base}/invoices/${cancelled}/void`).set(stack.admin()).send(voidBody('開立錯誤', 'cancel_blank')).expect(200);
    await issue('R-4'); // AB10000004: used
  });
  afterAll(() => stack.close());

  it('a period still running is only checked: ranges shown, nothing uploaded, approve refused naming the first day it can be reported', async () => {
    const running = `${current.rocYear}${String(current.endMonth).padStart(2, '0')}`;
    const started = await stack.http().post(`${base}/reconciliations`).set(finance).send({ period: running }).expect(201);
    expect(started.body).toMatchObject({ period: running, mode: 'check', uploadAt: null });
    const checked = await eventually(() => stack.http().get(`${base}/reconciliations/${running}`).set(finance).then((r) => r.body), (r) => r.state === 'checked');
    const firstDay = current.endMonth === 12 ? `${current.rocYear + 1912}-01-01` : `${current.rocYear + 1911}-${String(current.endMonth + 1).padStart(2, '0')}-01`;
    expect(checked.reportableFrom).toBe(firstDay);
    const approve = await stack.http().post(`${base}/reconciliations/${running}/approve`).set(finance).expect(409);
    expect(approve.body.code).toBe('RECONCILIATION.PERIOD_NOT_ENDED');
    expect(approve.body.message).toContain(firstDay);
    const hold = await stack.http().post(`${base}/reconciliations/${running}/hold`).set(finance).send({ reason: '月中檢查' }).expect(409);
    expect(hold.body.code).toBe('RECONCILIATION.CHECK_ONLY');
    expect(readdirSync(join(stack.turnkeyDir, 'UpCast')).includes('B2PMESSAGE')).toBe(false);
  });

  it('a finance-started run reports progress and exactly the hand-computed ranges; two starts at once give one run (201 and 200)', async () => {
    const starts = await Promise.all([gregorian, period].map((p) => stack.http().post(`${base}/reconciliations`).set(finance).send({ period: p })));
    expect(starts.map((r) => r.status).sort()).toEqual([200, 201]);
    for (const started of starts) expect(started.body).toMatchObject({ period, mode: 'report', startedBy: '陳會計' });
    expect(await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM reconciliations WHERE period = $1`, [period])).toEqual([{ n: 1 }]);
    await stack.http().post(`${base}/reconciliations`).set(finance).send({ period }).expect(200);
    const draft = await eventually(() => run(), (r) => r.state === 'draft');
    expect(draft.progress).toEqual({ done: 4, total: 4 });
    // AB: 0, 1 (voided), 4 used; 2 skipped + 3 cancelled as blank; 5–49 never used; 50–99 untouched (merged).
    // AC: MOMO used 0–29, blank from 30. AD untouched.
    expect(draft.tracks).toEqual([
      { invoiceType: '07', track: 'AB', blank: 97, ranges: [{ begin: 'AB10000002', end: 'AB10000003' }, { begin: 'AB10000005', end: 'AB10000099' }] },
      { invoiceType: '07', track: 'AC', blank: 20, ranges: [{ begin: 'AC20000030', end: 'AC20000049' }] },
      { invoiceType: '07', track: 'AD', blank: 50, ranges: [{ begin: 'AD30000000', end: 'AD30000049' }] },
    ]);
    expect(draft.totals).toEqual({ booklets: 4, allocated: 200, used: 33, blank: 167 });
    expect(draft.violations).toEqual([]);
    expect(draft.upload.reports.map((r: { track: string; state: string }) => `${r.track}:${r.state}`)).toEqual(['AB:draft', 'AC:draft', 'AD:draft']);

    const xml = (await stack.http().get(`${base}/reconciliations/${period}/e0402.xml?track=AB`).set(finance).expect(200)).text;
    const root = readMigXml(xml);
    expect(['HeadBan', 'BranchBan', 'InvoiceType', 'YearMonth', 'InvoiceTrack'].map((f) => migText(migChild(root, 'Main'), f))).toEqual([BANS.seller, BANS.seller, '07', period, 'AB']);
    expect(migChildren(migChild(root, 'Details'), 'BranchTrackBlankItem').map((i) => `${migText(i, 'InvoiceBeginNo')}-${migText(i, 'InvoiceEndNo')}`)).toEqual(['10000002-10000003', '10000005-10000099']);
    const missing = await stack.http().get(`${base}/reconciliations/${period}/e0402.xml`).set(finance).expect(400);
    expect(missing.body.details[0]).toMatchObject({ field: 'track' });
  });

  it('staff roles: a viewer reads but changes nothing, a channel key reaches no reconciliation, finance issues no invoice', async () => {
    await stack.http().get(`${base}/reconciliations/${period}`).set(viewer).expect(200);
    expect((await stack.http().post(`${base}/reconciliations/${period}/hold`).set(viewer).expect(403)).body.code).toBe('AUTH.READ_ONLY');
    expect((await stack.http().post(`${base}/invoices`).set(finance).send(order('F-1')).expect(403)).body.code).toBe('AUTH.NOT_FINANCE');
    const key = (await stack.http().post(`${base}/channels/web/api-keys`).set(stack.admin()).send({ name: 'shop' }).expect(201)).body.key;
    expect((await stack.http().get(`${base}/reconciliations/${period}`).set({ Authorization: `Bearer ${key}` }).expect(403)).body.code).toBe('AUTH.STAFF_ONLY');
  });

  it('the OpenAPI document has the release route, the hold’s required reason, the states and what approve refuses', async () => {
    const docs = (await stack.http().get('/docs-json').expect(200)).body;
    const runs = '/api/v1/sellers/{ban}/reconciliations';
    expect(docs.paths[`${runs}/{period}/release`].post.summary).toContain('release');
    expect(docs.components.schemas.HoldReconciliationDto.required).toEqual(['reason']);
    expect(docs.paths[`${runs}/{period}`].get.description).toEqual(expect.stringMatching(/checked.*nothing_to_report/));
    for (const code of ['PERIOD_NOT_ENDED', 'HELD', 'NOTHING_TO_REPORT']) expect(docs.paths[`${runs}/{period}/approve`].post.description).toContain(code);
  });

  it('EINV450 and its streamed export list exactly the numbers of the reconciliation', async () => {
    const ranges = expand((await run()).tracks);
    const listed: { invoiceNumber: string; status: string; skipped: boolean; invoiceDate: string | null; channel: string | null; operator: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { numbers: typeof listed; nextCursor: string | null } } = await stack.http()
        .get(`${base}/blank-numbers?period=${period}&limit=40${cursor ? `&cursor=${cursor}` : ''}`).set(viewer).expect(200);
      listed.push(...page.body.numbers);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(listed.map((n) => n.invoiceNumber)).toEqual(ranges);
    expect(listed.slice(0, 3)).toEqual([
      expect.objectContaining({ invoiceNumber: 'AB10000002', status: 'skipped', skipped: true }),
      expect.objectContaining({ invoiceNumber: 'AB10000003', status: 'cancelled_blank', skipped: false, invoiceDate: expect.any(String), channel: null }),
      expect.objectContaining({ invoiceNumber: 'AB10000005', status: 'unused' }),
    ]);
    expect(listed.find((n) => n.invoiceNumber === 'AC20000030')).toMatchObject({ status: 'third_party', operator: 'MOMO' });
    const keyword = await stack.http().get(`${base}/blank-numbers?period=${period}&q=MOMO`).set(viewer).expect(200);
    expect(keyword.body.numbers).toHaveLength(20);
    const bad = await stack.http().get(`${base}/blank-numbers?period=11501`).set(viewer).expect(400);
    expect(bad.body.code).toBe('PERIOD.UNREADABLE');

    const xlsx = await stack.http().get(`${base}/blank-numbers.xlsx?period=${period}`).set(viewer).buffer(true)
      .parse((res, done) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => done(null, Buffer.concat(chunks))); })
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    const sheet = workbook.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(2).value).toBe('發票號 number');
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(12);
    const numbers: string[] = [];
    sheet.eachRow((row, i) => { if (i > 1) numbers.push(String(row.getCell(2).value)); });
    expect(numbers).toEqual(ranges);
  });

  it('a person’s run waits at its draft although its upload time has passed; a hold holds until released; approve then uploads each E0402', async () => {
    const waiting = await run();
    expect(new Date(waiting.uploadAt).getTime()).toBeLessThan(Date.now());
    expect(waiting).toMatchObject({ state: 'draft', approvedBy: null, upload: { reportedAt: null } });
    expect((await stack.http().post(`${base}/reconciliations/${period}/hold`).set(finance).send({}).expect(400)).body.details[0]).toMatchObject({ field: 'reason' });
    const held = await stack.http().post(`${base}/reconciliations/${period}/hold`).set(finance).send({ reason: '等待門市回報' }).expect(200);
    expect(held.body).toMatchObject({ state: 'held', held: true, heldBy: '陳會計', hold: { by: '陳會計', reason: '等待門市回報', at: expect.any(String) } });
    expect(readdirSync(join(stack.turnkeyDir, 'UpCast')).includes('B2PMESSAGE')).toBe(false);
    const listHeld = () => stack.http().get(`/api/v1/alerts?kind=reconciliation.held&seller=${BANS.seller}&state=open`).set(viewer).expect(200).then((r) => r.body.alerts);
    const [heldAlert] = await eventually(listHeld, (alerts) => alerts.length === 1);
    expect(heldAlert.message).toMatch(/legal limit, the end of \d{4}-\d{2}-10/);

    const refused = await stack.http().post(`${base}/reconciliations/${period}/approve`).set(finance).expect(409);
    expect(refused.body.code).toBe('RECONCILIATION.HELD');
    expect(refused.body.message).toContain('陳會計');
    expect(refused.body.message).toContain('等待門市回報');
    expect(readdirSync(join(stack.turnkeyDir, 'UpCast')).includes('B2PMESSAGE')).toBe(false);
    expect((await stack.http().post(`${base}/reconciliations/${period}/release`).set(viewer).expect(403)).body.code).toBe('AUTH.READ_ONLY');
    const released = await stack.http().post(`${base}/reconciliations/${period}/release`).set(finance).expect(200);
    expect(released.body).toMatchObject({ state: 'draft', held: false, released: { by: '陳會計', at: expect.any(String) } });
    expect(await listHeld()).toEqual([]);
    expect((await stack.http().post(`${base}/reconciliations/${period}/release`).set(finance).expect(409)).body.code).toBe('RECONCILIATION.NOT_HELD');
    stack.simulator.settings.holdAtSent = true;
    await stack.http().post(`${base}/reconciliations/${period}/approve`).set(finance).expect(200);
    const listSilent = (state: string) => stack.http().get(`/api/v1/alerts?kind=turnkey.silent&seller=${BANS.seller}&state=${state}`).set(viewer).expect(200)
      .then((r) => r.body.alerts.filter((a: { subject: { type: string } }) => a.subject.type === 'reconciliation'));
    const silent = await eventually(() => listSilent('open'), (alerts) => alerts.length === 3);
    expect(silent.map((a: { detail: { track: string } }) => a.detail.track).sort()).toEqual(['AB', 'AC', 'AD']);
    expect(silent[0]).toMatchObject({ severity: 'warning', occurrences: 1, message: expect.stringContaining('has no platform verdict yet') });
    stack.simulator.settings.holdAtSent = false;
    const accepted = await eventually(() => run(), (r) => r.state === 'accepted');
    expect(await listSilent('open')).toEqual([]);
    expect(await listSilent('resolved')).toHaveLength(3);
    expect(accepted.upload.reports.map((r: { state: string }) => r.state)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(accepted.approvedBy).toBe('陳會計');
    const bak = upcastBakDir(stack.turnkeyDir, 'E0402');
    expect(readdirSync(bak).flatMap((day) => readdirSync(join(bak, day))).sort()).toEqual(
      accepted.upload.reports.map((r: { fileName: string }) => r.fileName).sort(),
    );
    const csv = (await stack.http().get(`${base}/reconciliations/${period}/blank-numbers.csv`).set(finance).expect(200)).text;
    expect(csv.replace(/^\ufeff/, '').split('\r\n')).toEqual([
      '期別,發票類別代號,發票字軌名稱,空白發票起號,空白發票迄號,張數',
      `${period},07,AB,AB10000002,AB10000003,2`, `${period},07,AB,AB10000005,AB10000099,95`,
      `${period},07,AC,AC20000030,AC20000049,20`, `${period},07,AD,AD30000000,AD30000049,50`, '',
    ]);
    const again = await stack.http().post(`${base}/reconciliations/${period}/approve`).set(finance).expect(409);
    expect(again.body.code).toBe('RECONCILIATION.ALREADY_UPLOADED');
  });

  it('after upload, no number of a reported booklet can be allocated (the database refuses it); a rerun that changes a range raises a conflict', async () => {
    expect((await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM booklets WHERE period = $1 AND reported_at IS NULL`, [period]))[0].n).toBe(0);
    const seller = await stack.app.get(SellersService).getSeller(BANS.seller);
    await expect(stack.app.get(InvoicesService).issue(seller, null, order('R-late'), issuedAt)).rejects.toMatchObject({ code: expect.stringMatching(/^NUMBERS\./) });
    // Straight in SQL, past every code path: the allocator's function finds nothing, and a hand-made allocation is refused.
    const [{ id: sellerId }] = await stack.db.dataSource.query(`SELECT id FROM sellers WHERE ban = $1`, [BANS.seller]);
    expect(await stack.db.dataSource.query(`SELECT * FROM allocate_invoice_numbers($1, $2, '07', NULL, 1)`, [sellerId, period])).toEqual([]);
    await expect(stack.db.dataSource.transaction(async (m) => {
      const [booklet] = await m.query(`SELECT id, next_seq FROM booklets WHERE period = $1 AND track = 'AB' AND start_no = 10000000`, [period]);
      await m.query(`INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number, channel_id, allocated_at) VALUES ($1, $2, $3, $4, 'AB10000005', NULL, now())`, [booklet.id, booklet.next_seq, sellerId, period]);
    })).rejects.toThrow(/reported blank/);
    await expect(stack.db.dataSource.query(`UPDATE booklets SET next_seq = next_seq + 1 WHERE period = $1 AND track = 'AB' AND start_no = 10000000`, [period])).rejects.toThrow(/reported blank/);

    // A number the report called used turns out never issued (a hand edit): the rerun's ranges differ from the upload.
    await stack.db.dataSource.query(`UPDATE invoices SET status = 'cancelled_blank', voided_at = $2, void_reason = '遺失' WHERE invoice_number = 'AB10000004' AND period = $1`, [period, issuedAt]);
    const rerun = await stack.http().post(`${base}/reconciliations/${period}/rerun`).set(finance).expect(200);
    expect(rerun.body).toMatchObject({ state: 'accepted', draftVersion: 2 });
    expect(rerun.body.tracks[0].ranges).toEqual([{ begin: 'AB10000002', end: 'AB10000099' }]);
    expect(rerun.body.conflicts.map((c: { causeKey: string }) => c.causeKey)).toEqual([expect.stringContaining(':rerun')]);
    const open = (await stack.http().get(`/api/v1/alerts?kind=reconciliation.conflict&seller=${BANS.seller}`).set(viewer).expect(200)).body.alerts;
    expect(open).toHaveLength(1);
    await stack.http().post(`/api/v1/alerts/${open[0].id}/acknowledge`).set(viewer).expect(403);
    const acked = await stack.http().post(`/api/v1/alerts/${open[0].id}/acknowledge`).set(finance).expect(200);
    expect(acked.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: '陳會計' });
    const states = (await stack.http().get(`/api/v1/alerts?state=acknowledged`).set(viewer).expect(200)).body.alerts.map((a: { id: string }) => a.id);
    expect(states).toEqual([open[0].id]);
    expect((await stack.http().get('/api/v1/alerts?state=closed').set(viewer).expect(400)).body.details[0]).toMatchObject({ field: 'state' });
  });

  it('a number both used and blank makes the run report the violation and refuse to upload', async () => {
    const other = `/api/v1/sellers/${BANS.other}`;
    await stack.http().post(`${other}/tracks/import`).set(finance).attach('file', mofCsv(BANS.other, [{ track: 'AE', start: '40000000', end: '40000049', period: gregorian }]), 'f.csv').expect(201);
    // Damage no code path allows (a legacy import, a hand edit): an invoice on a number the allocator never handed out.
    await stack.db.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(
        `INSERT INTO invoices SELECT (jsonb_populate_record(NULL::invoices, to_jsonb(i) || jsonb_build_object(
           'id', gen_random_uuid(), 'seller_id', b.seller_id, 'channel_id', NULL, 'booklet_id', b.id, 'seq', 45,
           'invoice_number', 'AE40000045', 'billing_no', 'LEGACY-1'))).*
           FROM invoices i, booklets b WHERE i.invoice_number = 'AB10000000' AND b.track = 'AE'`,
      );
    });
    await stack.http().post(`${other}/reconciliations`).set(finance).send({ period }).expect(201);
    const refused = await eventually(() => stack.http().get(`${other}/reconciliations/${period}`).set(finance).then((r) => r.body), (r) => r.state === 'refused');
    expect(refused.violations).toEqual([
      expect.objectContaining({ code: 'USED_AND_BLANK', booklet: 'AE40000000–AE40000049', numbers: ['AE40000045'] }),
      expect.objectContaining({ code: 'PERIOD_TOTAL' }),
    ]);
    expect(refused.upload.reports).toEqual([]);
    const approve = await stack.http().post(`${other}/reconciliations/${period}/approve`).set(finance).expect(409);
    expect(approve.body.code).toBe('RECONCILIATION.VIOLATIONS');
    const mismatch = (await stack.http().get(`/api/v1/alerts?kind=reconciliation.mismatch&seller=${BANS.other}`).set(viewer).expect(200)).body.alerts;
    expect(mismatch).toEqual([expect.objectContaining({ severity: 'critical', state: 'open', subject: { type: 'reconciliation', id: expect.any(String) } })]);
  });

  it('a period with no blank number is nothing to report: no E0402, and approve says so', async () => {
    const other = `/api/v1/sellers/${BANS.other}`;
    const quiet = periodOf(new Date(Date.now() - 186 * 86_400_000)).code;
    await stack.http().post(`${other}/reconciliations`).set(finance).send({ period: quiet }).expect(201);
    const done = await eventually(() => stack.http().get(`${other}/reconciliations/${quiet}`).set(finance).then((r) => r.body), (r) => r.state !== 'computing');
    expect(done).toMatchObject({ state: 'nothing_to_report', tracks: [], upload: { reports: [], reportedAt: null } });
    const approve = await stack.http().post(`${other}/reconciliations/${quiet}/approve`).set(finance).expect(409);
    expect(approve.body).toMatchObject({ code: 'RECONCILIATION.NOTHING_TO_REPORT', message: expect.stringContaining('no blank numbers') });
  });

  it('reconciliation.late: the late-warning time passes with no accepted upload, and finance hears of it once', async () => {
    // The workflow's own input says when to warn (the 8th, from the calendar): here it is now, so no date need pass.
    const earlier = periodOf(new Date(Date.now() - 124 * 86_400_000)).code;
    const workflowId = reconciliationWorkflowId(BANS.other, earlier);
    const lateWarnAt = new Date().toISOString();
    const farOff = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await stack.app.get(WorkflowStarter).startReconciliation(workflowId, {
      sellerBan: BANS.other, period: earlier, mode: 'report', startedBy: 'test', uploadAt: farOff, lateWarnAt, closeAt: farOff,
    });
    // Only this run's alerts: the violation test's run of a later period is late too, by the calendar.
    const listLate = () => stack.http().get(`/api/v1/alerts?kind=reconciliation.late&seller=${BANS.other}`).set(viewer).expect(200)
      .then((r) => r.body.alerts.filter((a: { detail: { period: string } }) => a.detail.period === earlier));
    const [late] = await eventually(listLate, (alerts) => alerts.length > 0);
    const [{ id: runId }] = await stack.db.dataSource.query(`SELECT id FROM reconciliations WHERE workflow_id = $1`, [workflowId]);
    expect(late).toMatchObject({
      kind: 'reconciliation.late', severity: 'critical', state: 'open', occurrences: 1, subject: { type: 'reconciliation', id: runId },
      detail: { period: earlier, legalDueAt: lateWarnAt },
    });
    const handle = stack.app.get(Client).workflow.getHandle(workflowId);
    expect(await handle.query(reconciliationStatusQuery)).toMatchObject({ accepted: false, uploads: 0 });
    // The warning is a one-off timer: the run goes on waiting for its upload and raises nothing more.
    expect(await listLate()).toEqual([expect.objectContaining({ id: late.id, occurrences: 1 })]);
    await handle.terminate('test done');
  });

  /** The period `days` ago, and its last month in the MOF number file's spelling (yyyyMM). */
  const pastPeriod = (days: number) => {
    const code = periodOf(new Date(Date.now() - days * 86_400_000)).code;
    return { code, gregorian: `${Number(code.slice(0, 3)) + 1911}${code.slice(3)}` };
  };
  const statusOf = (workflowId: string) => stack.app.get(Client).workflow.getHandle(workflowId).query(reconciliationStatusQuery).catch(() => undefined);

  it('a run started under a staff key named “schedule” is still a person’s: it waits at its draft for approve', async () => {
    const quiet = pastPeriod(186);
    await stack.http().post(`${base}/tracks/import`).set(finance)
      .attach('file', mofCsv(BANS.seller, [{ track: 'AF', start: '50000000', end: '50000049', period: quiet.gregorian }]), 'f.csv').expect(201);
    const named = (await stack.http().post('/api/v1/api-keys').set(stack.admin()).send({ role: 'finance', name: 'schedule' }).expect(201)).body.key;
    const started = await stack.http().post(`${base}/reconciliations`).set({ Authorization: `Bearer ${named}` }).send({ period: quiet.code }).expect(201);
    expect(started.body).toMatchObject({ mode: 'report', startedBy: 'schedule' });
    expect(new Date(started.body.uploadAt).getTime()).toBeLessThan(Date.now());
    // The workflow decides whether to upload in the same step that takes its draft: once it shows the draft, it has.
    const status = await eventually(() => statusOf(reconciliationWorkflowId(BANS.seller, quiet.code)), (s) => s !== undefined && s.stage !== 'computing');
    expect(status).toMatchObject({ stage: 'draft', uploads: 0, approved: false });
    const waiting = (await stack.http().get(`${base}/reconciliations/${quiet.code}`).set(finance).expect(200)).body;
    expect(waiting).toMatchObject({ state: 'draft', approvedBy: null, upload: { reportedAt: null, reports: [expect.objectContaining({ track: 'AF', state: 'draft' })] } });
  });

  it('the Schedule’s own run skips its upload time while held and raises reconciliation.held naming the legal limit; released, it uploads unattended', async () => {
    const due = pastPeriod(124);
    await stack.http().post(`${base}/tracks/import`).set(finance)
      .attach('file', mofCsv(BANS.seller, [{ track: 'AG', start: '60000000', end: '60000049', period: due.gregorian }]), 'f.csv').expect(201);
    const workflowId = reconciliationWorkflowId(BANS.seller, due.code);
    const farOff = new Date(Date.now() + 30 * 86_400_000).toISOString();
    // Its upload time comes while the test watches: well after the hold below (30 s, room for a loaded machine), so
    // the held run meets it.
    const uploadAt = new Date(Date.now() + 30_000).toISOString();
    await stack.app.get(WorkflowStarter).startReconciliation(workflowId, {
      sellerBan: BANS.seller, period: due.code, mode: 'report', startedBy: 'schedule', scheduled: true, uploadAt, lateWarnAt: farOff, closeAt: farOff,
    });
    await eventually(() => statusOf(workflowId), (s) => s !== undefined);
    const held = await stack.http().post(`${base}/reconciliations/${due.code}/hold`).set(finance).send({ reason: '盤點未完' }).expect(200);
    expect(held.body).toMatchObject({ held: true, hold: { by: '陳會計', reason: '盤點未完' }, upload: { reportedAt: null } });

    const listHeld = (state: string) => stack.http().get(`/api/v1/alerts?kind=reconciliation.held&seller=${BANS.seller}&state=${state}`).set(viewer).expect(200)
      .then((r) => r.body.alerts.filter((a: { detail: { period: string } }) => a.detail.period === due.code));
    const [alert] = await eventually(() => listHeld('open'), (alerts) => alerts.length === 1);
    const legalDay = taipeiIsoDay(blankReportTimes(parsePeriod(due.code)).legalDueAt);
    expect(legalDay).toMatch(/-10$/);
    expect(alert).toMatchObject({ severity: 'critical', detail: { heldBy: '陳會計', reason: '盤點未完' }, message: expect.stringContaining(`the end of ${legalDay}`) });
    // The step after the alert is where an upload would start: it must have passed without one.
    const handle = stack.app.get(Client).workflow.getHandle(workflowId);
    const events = await eventually(() => handle.fetchHistory().then((h) => h.events ?? []), (all) => {
      const scheduled = all.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'raiseHeld');
      const done = all.findIndex((e) => scheduled && String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduled.eventId));
      return done >= 0 && all.slice(done).some((e) => e.workflowTaskCompletedEventAttributes);
    });
    expect(events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean)).not.toContain('deliverReports');
    expect(await statusOf(workflowId)).toMatchObject({ stage: 'held', held: true, uploads: 0 });

    await stack.http().post(`${base}/reconciliations/${due.code}/release`).set(finance).expect(200);
    const accepted = await eventually(() => stack.http().get(`${base}/reconciliations/${due.code}`).set(finance).then((r) => r.body), (r) => r.state === 'accepted');
    expect(accepted).toMatchObject({ approvedBy: null, released: { by: '陳會計' }, upload: { reports: [expect.objectContaining({ track: 'AG', state: 'accepted' })] } });
    expect(await listHeld('open')).toEqual([]);
  });

  it('the schedules exist once after two restarts; the monthly run skips a seller whose blank reporting is off', async () => {
    for (let i = 0; i < 2; i++) await (await createWorkerApp(stack.config)).close();
    const client = stack.app.get(Client);
    const ids: string[] = [];
    for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId);
    expect(ids.sort()).toEqual([RECONCILIATION_SCHEDULE_ID, SWEEP_SCHEDULE_ID].sort());
    const schedule = await client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).describe();
    expect(schedule.spec.timezone).toBe('Asia/Taipei');
    expect(schedule.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 5, end: 5, step: 1 }], hour: [{ start: 0, end: 0, step: 1 }] });

    await stack.http().patch(`/api/v1/sellers/${BANS.other}`).set(stack.admin()).send({ blankReporting: false }).expect(200);
    await client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).trigger();
    const triggered = await eventually(() => client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID).describe(), (d) => d.info.recentActions.length > 0);
    const result = await client.workflow.getHandle(triggered.info.recentActions[0].action.workflow.workflowId).result();
    // December is an even month: a mid-period check of the running period.
    expect(result).toMatchObject({ mode: new Date(Date.now() + 8 * 3600_000).getUTCMonth() % 2 === 1 ? 'check' : 'report', started: [BANS.seller], skipped: [BANS.other] });
    const check = await client.workflow.getHandle(reconciliationWorkflowId(BANS.seller, result.period, result.mode)).result();
    expect(check).toMatchObject({ violations: 0 });
  });
});
