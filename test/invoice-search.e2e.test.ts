import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { TestApi, startTestApi } from './support/test-api';
import { seedSeller } from './support/test-stack';
import { BANS, b2cOrder, mofCsv } from '../libs/dev/fixtures';

/** What a test reads of a listed invoice. */
interface Listed {
  sellerBan: string;
  number: string;
  billingNo: string;
  channel: string | null;
  issuedAt: string;
  status: string;
  buyer: { ban: string | null; name: string | null };
  allowances: { live: number; total: number };
}

/**
 * Staff's invoice search over every seller (GET /invoices), its CSV and xlsx exports, the filters the per-seller
 * search gained, and the refusals the invoice record alone decides. No worker runs: statuses and allowances are set
 * in the database as the lifecycle would, and a void or allowance that reached Temporal would wait for ever — so an
 * answer at all shows it never went there.
 */
describe('invoice search for staff: filters, keyset pages over sellers, CSV and xlsx exports; refusals on record', () => {
  let api: TestApi;
  const admin = () => ({ Authorization: `Bearer ${api.adminKey}` });
  let viewer: { Authorization: string };
  let channelKey: { Authorization: string };
  /** Every invoice, newest first, as the oracle of the search. */
  let oracle: { number: string; seller: string; issued_at: Date; id: string; billing_no: string }[];

  const http = () => api.http();
  const list = async (query: string, auth = admin()): Promise<{ invoices: Listed[]; nextCursor: string | null }> =>
    (await http().get(`/api/v1/invoices?${query}`).set(auth).expect(200)).body;
  const walk = async (query: string): Promise<{ numbers: string[]; pages: number }> => {
    const numbers: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      numbers.push(...page.invoices.map((i) => i.number));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { numbers, pages };
  };
  const bytes = (request: ReturnType<ReturnType<TestApi['http']>['get']>) =>
    request.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

  beforeAll(async () => {
    api = await startTestApi();
    await seedSeller({ ...api, admin }, 1000);
    await http().post(`/api/v1/sellers/${BANS.seller}/channels`).set(admin()).send({ code: 'pos-1', kind: 'pos', name: '門市 POS', issueTriggers: ['payment'] }).expect(201);
    await http().post('/api/v1/sellers').set(admin()).send({ ban: BANS.other, name: '另一家有限公司' }).expect(201);
    await http().post(`/api/v1/sellers/${BANS.other}/channels`).set(admin()).send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] }).expect(201);
    const now = new Date(Date.now() + 8 * 3600_000);
    const period = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    await http()
      .post(`/api/v1/sellers/${BANS.other}/tracks/import`)
      .set(admin())
      .attach('file', mofCsv(BANS.other, [{ track: 'CD', start: '20000000', end: '20000099', period }]), 'invnoapply.csv')
      .expect(201);
    const keyOf = async (ban: string, code: string) =>
      ({ Authorization: `Bearer ${(await http().post(`/api/v1/sellers/${ban}/channels/${code}/api-keys`).set(admin()).send({ name: code }).expect(201)).body.key}` });
    channelKey = await keyOf(BANS.seller, 'web');
    const posKey = await keyOf(BANS.seller, 'pos-1');
    const otherWeb = await keyOf(BANS.other, 'web');
    viewer = { Authorization: `Bearer ${(await http().post('/api/v1/api-keys').set(admin()).send({ role: 'viewer', name: 'wall' }).expect(201)).body.key}` };

    // 12 web and 6 POS orders of the first seller, 6 web orders of the other; two of them to a company buyer.
    for (let i = 0; i < 12; i++) await http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(channelKey).send(b2cOrder(`WEB-${i}`)).expect(201);
    for (let i = 0; i < 6; i++) await http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(posKey).send(b2cOrder(`POS-${i}`, { buyer: { name: '=HYPERLINK("x")' } })).expect(201);
    for (let i = 0; i < 6; i++) {
      const order = i < 2
        ? { billingNo: `B2B-${i}`, taxType: '1', buyer: { ban: BANS.buyer, name: '聯發科技股份有限公司' }, lines: [{ description: '顧問', quantity: 1, unitPrice: 1000, amount: 1000 }] }
        : b2cOrder(`OTHER-${i}`);
      await http().post(`/api/v1/sellers/${BANS.other}/invoices`).set(otherWeb).send(order).expect(201);
    }
    // Issue times a day apart across both sellers (interleaved), two of them in the same millisecond.
    const db = api.db.dataSource;
    await db.query(
      `UPDATE invoices i SET issued_at = date_trunc('second', now()) - (o.n * interval '1 day') FROM (SELECT id, row_number() OVER (ORDER BY billing_no) AS n FROM invoices) o WHERE o.id = i.id`,
    );
    await db.query(`UPDATE invoices SET issued_at = (SELECT issued_at FROM invoices WHERE billing_no = 'WEB-1') WHERE billing_no = 'WEB-2'`);
    await db.query(`UPDATE invoices SET status = 'accepted', accepted_at = issued_at + interval '1 hour', sent_at = issued_at + interval '30 minutes', deadline_state = 'done' WHERE billing_no LIKE 'WEB-%' OR billing_no LIKE 'B2B-%'`);
    await db.query(`UPDATE invoices SET status = 'rejected', last_error_code = 'S099', last_error_message = 'refused' WHERE billing_no = 'POS-0'`);
    await db.query(`UPDATE invoices SET status = 'voided', voided_at = now(), void_reason = '取消', void_request_key = 'k-void' WHERE billing_no = 'WEB-3'`);
    // A live allowance of 100 + 5 tax on WEB-5 and a voided one on WEB-6, as the lifecycle records them.
    await db.query(
      `INSERT INTO allowances (seller_id, invoice_id, allowance_number, request_key, allowance_date, items, taxable_amount, zero_tax_amount, free_tax_amount, tax_amount, status, voided_at)
       SELECT seller_id, id, 'AL' || billing_no, 'k-' || billing_no, now(), '[]', 100, 0, 0, 5,
              CASE WHEN billing_no = 'WEB-6' THEN 'voided' ELSE 'live' END, CASE WHEN billing_no = 'WEB-6' THEN now() END
         FROM invoices WHERE billing_no IN ('WEB-5', 'WEB-6')`,
    );
    oracle = await db.query(
      `SELECT i.invoice_number AS number, s.ban AS seller, i.issued_at, i.id, i.billing_no FROM invoices i JOIN sellers s ON s.id = i.seller_id ORDER BY i.issued_at DESC, i.id DESC`,
    );
  });
  afterAll(() => api.close());

  it('finds an invoice by its order number without naming the seller, and by number in any case', async () => {
    const { invoices } = await list('billingNo=B2B-1');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ sellerBan: BANS.other, billingNo: 'B2B-1', channel: 'web', buyer: { ban: BANS.buyer, name: '聯發科技股份有限公司' } });
    expect((await list(`number=${invoices[0].number.toLowerCase()}`)).invoices.map((i) => i.billingNo)).toEqual(['B2B-1']);
    // A viewer (the wall screen) reads it too; a channel key is no staff key.
    expect((await list('billingNo=B2B-1', viewer)).invoices).toHaveLength(1);
    expect((await http().get('/api/v1/invoices').set(channelKey).expect(403)).body.code).toBe('AUTH.STAFF_ONLY');
  });

  it('pages every seller newest first and oldest first by keyset, with neither gap nor overlap at a tie', async () => {
    const newest = await walk('limit=5');
    expect(newest.numbers).toEqual(oracle.map((o) => o.number));
    expect(newest.pages).toBe(5);
    const oldest = await walk('limit=7&sort=oldest');
    expect(oldest.numbers).toEqual([...oracle].reverse().map((o) => o.number));
    // A page boundary inside the tie: WEB-1 and WEB-2 share their issue time.
    const tie = await walk(`seller=${BANS.seller}&channel=web&limit=1`);
    expect(tie.numbers).toEqual(oracle.filter((o) => o.billing_no.startsWith('WEB-')).map((o) => o.number));
    expect(tie.pages).toBe(12);
  });

  it('filters by seller, channel, status (allowance too), buyer BAN or name, and issue date', async () => {
    const ofSeller = await walk(`seller=${BANS.other}&limit=50`);
    expect(ofSeller.numbers).toEqual(oracle.filter((o) => o.seller === BANS.other).map((o) => o.number));
    expect((await walk(`seller=${BANS.seller},${BANS.other}&limit=50`)).numbers).toHaveLength(24);
    const pos = (await list('channel=pos-1&limit=50')).invoices;
    expect(pos.map((i) => i.billingNo).sort()).toEqual(['POS-0', 'POS-1', 'POS-2', 'POS-3', 'POS-4', 'POS-5']);
    // `web` is a channel of both sellers.
    expect((await list('channel=web&limit=50')).invoices).toHaveLength(18);
    expect((await list('status=rejected')).invoices).toEqual([expect.objectContaining({ billingNo: 'POS-0', status: 'rejected' })]);
    expect((await list('status=voided')).invoices.map((i) => i.billingNo)).toEqual(['WEB-3']);
    const withAllowance = (await list('status=allowance')).invoices;
    expect(withAllowance).toEqual([expect.objectContaining({ billingNo: 'WEB-5', allowances: { live: 1, total: 105 } })]);
    expect((await list('status=voided,allowance')).invoices.map((i) => i.billingNo).sort()).toEqual(['WEB-3', 'WEB-5']);
    expect((await list(`buyer=${BANS.buyer}`)).invoices.map((i) => i.billingNo).sort()).toEqual(['B2B-0', 'B2B-1']);
    expect((await list(`buyer=${encodeURIComponent('聯發科')}`)).invoices).toHaveLength(2);
    // Dates are Taipei days, both ends included.
    const day = (o: (typeof oracle)[number]) => new Date(o.issued_at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const [from, to] = [day(oracle[6]), day(oracle[3])];
    const inRange = oracle.filter((o) => day(o) >= from && day(o) <= to).map((o) => o.number);
    expect(inRange.length).toBeGreaterThanOrEqual(4);
    expect((await walk(`from=${from}&to=${to}&limit=2`)).numbers).toEqual(inRange);
    // The per-seller search takes the same filters, whole invoices with their lines.
    const perSeller = await http().get(`/api/v1/sellers/${BANS.seller}/invoices?channel=pos-1&sort=oldest&status=rejected,allowance`).set(admin()).expect(200);
    // WEB-5 has an allowance but is a web invoice.
    expect(perSeller.body.invoices.map((i: { billingNo: string; lines: unknown[] }) => [i.billingNo, i.lines.length])).toEqual([['POS-0', 2]]);
  });

  it.each([
    ['status=lost', 'status'],
    ['sort=sideways', 'sort'],
    ['seller=1234', 'seller'],
    ['seller=99999999', 'seller'],
    ['channel=not%20a%20code', 'channel'],
    ['from=2026-02-30', 'from'],
    ['from=2026-03-02&to=2026-03-01', 'to'],
    ['limit=0', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['deadlineState=late', 'deadlineState'],
    ['period=11513', 'period'],
    ['colour=red', 'colour'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const { body } = await http().get(`/api/v1/invoices?${query}`).set(admin()).expect(400);
    expect(body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(body.message).toContain(field);
  });

  it('refuses a cursor of one sort used for the other', async () => {
    const { nextCursor } = await list('limit=2');
    const { body } = await http().get(`/api/v1/invoices?limit=2&sort=oldest&cursor=${encodeURIComponent(nextCursor!)}`).set(admin()).expect(400);
    expect(body).toMatchObject({ code: 'SEARCH.CURSOR', details: [expect.objectContaining({ field: 'cursor' })] });
    expect(body.message).toContain('sort=newest');
  });

  it('exports the filter as CSV, streamed, with the row count up front and every value as listed', async () => {
    const response = await bytes(http().get(`/api/v1/invoices.csv?seller=${BANS.seller}&sort=oldest`).set(viewer)).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="invoices-${BANS.seller}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    expect(response.headers['x-row-count']).toBe('18');
    const text = (response.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows]: string[][] = parse(text.slice(1));
    expect(header.slice(0, 4)).toEqual(['賣方統編 seller BAN', '賣方 seller', '發票號碼 number', '開立時間 issued (台北 UTC+8)']);
    expect(rows.map((r) => r[2])).toEqual(oracle.filter((o) => o.seller === BANS.seller).reverse().map((o) => o.number));
    const col = (name: string) => header.findIndex((h) => h.startsWith(name));
    const web5 = rows.find((r) => r[col('訂單編號')] === 'WEB-5')!;
    expect(web5[col('通路')]).toBe('web');
    expect(web5[col('總計')]).toBe('360');
    expect(web5[col('折讓筆數')]).toBe('1');
    expect(web5[col('折讓金額')]).toBe('105');
    expect(web5[col('狀態')]).toBe('已接受 accepted');
    const issued = oracle.find((o) => o.billing_no === 'WEB-5')!.issued_at;
    const taipei = new Date(issued.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(web5[col('開立時間')]).toBe(taipei);
    // A buyer name that a spreadsheet would run as a formula is written as text.
    expect(rows.find((r) => r[col('訂單編號')] === 'POS-1')![col('買方 buyer')]).toBe(`'=HYPERLINK("x")`);
    expect(rows.find((r) => r[col('訂單編號')] === 'POS-0')![col('平台錯誤')]).toBe('S099 refused');
  });

  it('exports the filter as xlsx, streamed, with the same rows', async () => {
    const response = await bytes(http().get(`/api/v1/invoices.xlsx?channel=web&status=accepted`).set(admin())).expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // Twelve web orders less the voided one, and the other seller's two B2B orders.
    expect(response.headers['x-row-count']).toBe('13');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('發票 invoices');
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)[2]).toBe('發票號碼 number');
    expect(sheet.actualRowCount).toBe(14);
    const expected = (await list('channel=web&status=accepted&limit=50')).invoices;
    expect(Array.from({ length: 13 }, (_, i) => values(i + 2)[2])).toEqual(expected.map((i) => i.number));
    const b2b = values(2 + expected.findIndex((i) => i.billingNo === 'B2B-0'));
    expect(b2b.slice(0, 2)).toEqual([BANS.other, '另一家有限公司']);
    // Amounts are numbers: B2B 1,000 untaxed, 50 tax, 1,050 total.
    expect(b2b.slice(9, 14)).toEqual([1000, 0, 0, 50, 1050]);
  });

  it('refuses a bad export filter before any byte, as a 400 naming the field', async () => {
    const { body } = await http().get('/api/v1/invoices.xlsx?status=gone').set(admin()).expect(400);
    expect(body.details[0].field).toBe('status');
    await http().get('/api/v1/invoices.csv?limit=5').set(admin()).expect(400);
  });

  it('lists the sellers with their channels for staff; a channel key gets 403', async () => {
    const { body } = await http().get('/api/v1/sellers').set(viewer).expect(200);
    expect(body.sellers.map((s: { ban: string; channels: { code: string }[] }) => [s.ban, s.channels.map((c) => c.code)])).toEqual([
      [BANS.other, ['web']],
      [BANS.seller, ['pos-1', 'web']],
    ]);
    await http().get('/api/v1/sellers').set(channelKey).expect(403);
  });

  it('refuses at once what the record already rules out, without asking the (absent) worker: a void or allowance of a voided invoice', async () => {
    const voided = (await list('status=voided')).invoices[0];
    const again = await http().post(`/api/v1/sellers/${BANS.seller}/invoices/${voided.number}/void`).set(admin()).send({ reason: '再作廢' }).expect(409);
    expect(again.body).toMatchObject({ code: 'VOID.ALREADY' });
    expect(again.body.message).toContain(voided.number);
    const blank = await http().post(`/api/v1/sellers/${BANS.seller}/invoices/${voided.number}/void`).set(admin()).send({ reason: '空白', mode: 'cancel_blank' }).expect(409);
    expect(blank.body.code).toBe('VOID.ALREADY');
    const allowance = await http().post(`/api/v1/sellers/${BANS.seller}/invoices/${voided.number}/allowances`).set(admin()).send({ whole: true }).expect(409);
    expect(allowance.body.code).toBe('ALLOWANCE.INVOICE_VOIDED');
    // Accepted: not a number to cancel as blank. With a live allowance: not yet to void.
    const accepted = (await list('billingNo=WEB-0')).invoices[0];
    expect((await http().post(`/api/v1/sellers/${BANS.seller}/invoices/${accepted.number}/void`).set(admin()).send({ reason: 'x', mode: 'cancel_blank' }).expect(409)).body.code).toBe('VOID.ALREADY_UPLOADED');
    const allowed = (await list('billingNo=WEB-5')).invoices[0];
    const live = await http().post(`/api/v1/sellers/${BANS.seller}/invoices/${allowed.number}/void`).set(admin()).send({ reason: 'x' }).expect(409);
    expect(live.body).toMatchObject({ code: 'VOID.LIVE_ALLOWANCES' });
    expect(live.body.message).toContain('ALWEB-5');
    const allowanceVoided = await http().post(`/api/v1/sellers/${BANS.seller}/allowances/ALWEB-6/void`).set(admin()).send({ reason: 'x' }).expect(409);
    expect(allowanceVoided.body.code).toBe('ALLOWANCE.ALREADY_VOIDED');
    // Nothing changed.
    const [row] = await api.db.dataSource.query(`SELECT status, void_reason FROM invoices WHERE billing_no = 'WEB-3'`);
    expect(row).toEqual({ status: 'voided', void_reason: '取消' });
  });

  it('pages the deadline board of the snapshot, and refuses a bad page with the field named', async () => {
    await api.db.dataSource.query(`UPDATE invoices SET deadline_state = 'overdue' WHERE billing_no LIKE 'OTHER-%' OR billing_no LIKE 'POS-%'`);
    const all = (await http().get('/api/v1/dashboard').set(viewer).expect(200)).body.board.items.map((i: { invoiceNumber: string }) => i.invoiceNumber);
    expect(all).toHaveLength(10);
    const pages = [];
    for (let offset = 0; offset < 10; offset += 4) {
      pages.push(...(await http().get(`/api/v1/dashboard?boardOffset=${offset}&boardLimit=4`).set(viewer).expect(200)).body.board.items.map((i: { invoiceNumber: string }) => i.invoiceNumber));
    }
    expect(pages).toEqual(all);
    const bad = await http().get('/api/v1/dashboard?boardLimit=0').set(viewer).expect(400);
    expect(bad.body.details[0].field).toBe('boardLimit');
  });

  it('shows an invoice with its workflow id and whether it has a proof to print', async () => {
    const [b2b] = (await list('billingNo=B2B-0')).invoices;
    const detail = (await http().get(`/api/v1/sellers/${BANS.other}/invoices/${b2b.number}`).set(viewer).expect(200)).body;
    expect(detail.workflowId).toBe(`invoice:${BANS.other}:${b2b.number}`);
    expect(detail.proof).toEqual({ printable: true, prints: [] });
    const [carrier] = (await list('billingNo=WEB-0')).invoices;
    expect((await http().get(`/api/v1/sellers/${BANS.seller}/invoices/${carrier.number}`).set(viewer).expect(200)).body.proof).toEqual({ printable: false, prints: [] });
  });
});
