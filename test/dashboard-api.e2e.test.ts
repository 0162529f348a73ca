import { TestApi, startTestApi } from './support/test-api';
import { seedSeller } from './support/test-stack';
import { BANS, b2cOrder } from '../libs/dev/fixtures';

/** The dashboard's sign-in and reads through HTTP, without a worker: what the page relies on, checked at the API. */
describe('dashboard API: sessions and reads', () => {
  let api: TestApi;
  const admin = () => ({ Authorization: `Bearer ${api.adminKey}` });
  const cookieOf = (setCookie: string[] | string | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0];

  beforeAll(async () => {
    api = await startTestApi({ NUMBERS_LOW_THRESHOLD: '995' });
    await seedSeller({ ...api, admin }, 1000);
  });
  afterAll(() => api.close());

  it('exchanges a staff key for an HttpOnly SameSite=Strict cookie, refuses channel and unknown keys, and ends on sign-out', async () => {
    const bad = await api.http().post('/api/v1/session').send({ apiKey: '' }).expect(400);
    expect(bad.body.details[0].field).toBe('apiKey');
    await api.http().post('/api/v1/session').send({ apiKey: 'einv_unknown' }).expect(401);
    const channelKey = await api.http().post(`/api/v1/sellers/${BANS.seller}/channels/web/api-keys`).set(admin()).send({ name: 'shop' }).expect(201);
    const refused = await api.http().post('/api/v1/session').send({ apiKey: channelKey.body.key }).expect(403);
    expect(refused.body.code).toBe('AUTH.STAFF_ONLY');
    await api.http().get('/api/v1/dashboard').set({ Authorization: `Bearer ${channelKey.body.key}` }).expect(403);

    const finance = await api.http().post('/api/v1/api-keys').set(admin()).send({ role: 'finance', name: '會計 Lin' }).expect(201);
    const signedIn = await api.http().post('/api/v1/session').send({ apiKey: finance.body.key }).expect(201);
    expect(signedIn.body).toMatchObject({ role: 'finance', name: '會計 Lin' });
    const setCookie = String(signedIn.headers['set-cookie']);
    expect(setCookie).toMatch(/^einv_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict/);
    expect(setCookie).not.toContain(finance.body.key);
    const cookie = cookieOf(signedIn.headers['set-cookie']);
    expect((await api.http().get('/api/v1/session').set('Cookie', cookie).expect(200)).body).toEqual({ role: 'finance', name: '會計 Lin', temporalUi: null });
    // As the page sends it: same origin (supertest's Host is the server's own).
    const voided = await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices/AB10000000/void`).set('Cookie', cookie).set('Sec-Fetch-Site', 'same-origin').send({ reason: 'x' }).expect(403);
    expect(voided.body.code).toBe('AUTH.NOT_FINANCE');

    const out = await api.http().delete('/api/v1/session').set('Cookie', cookie).expect(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await api.http().get('/api/v1/dashboard').set('Cookie', cookie).expect(401);
    expect(after.body.code).toBe('AUTH.SESSION_ENDED');
  });

  it('ends the sessions of a revoked key at once', async () => {
    const viewer = await api.http().post('/api/v1/api-keys').set(admin()).send({ role: 'viewer', name: 'wall' }).expect(201);
    const cookie = cookieOf((await api.http().post('/api/v1/session').send({ apiKey: viewer.body.key }).expect(201)).headers['set-cookie']);
    await api.http().get('/api/v1/dashboard').set('Cookie', cookie).expect(200);
    await api.db.dataSource.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [viewer.body.id]);
    await api.http().get('/api/v1/dashboard').set('Cookie', cookie).expect(401);
  });

  it('reads the board nearest due first, the due chart, and number stock with its low-stock channels', async () => {
    for (const billingNo of ['D-1', 'D-2']) await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).send(b2cOrder(billingNo)).expect(201);
    // No worker runs here: mark one invoice overdue and one rejected as their lifecycles would.
    await api.db.dataSource.query(`UPDATE invoices SET deadline_state = 'overdue' WHERE billing_no = 'D-1'`);
    await api.db.dataSource.query(`UPDATE invoices SET status = 'rejected', last_error_code = 'S099', last_error_message = 'bad' WHERE billing_no = 'D-2'`);
    const { body } = await api.http().get('/api/v1/dashboard').set(admin()).expect(200);
    expect(body.board.items.map((i: { bucket: string; invoiceNumber: string }) => [i.bucket, i.invoiceNumber])).toEqual([
      ['overdue', 'AB10000000'],
      ['rejected', 'AB10000001'],
    ]);
    expect(body.board.items[1]).toMatchObject({ sellerBan: BANS.seller, errorCode: 'S099', kind: 'invoice' });
    expect(body.board.counts).toEqual(expect.arrayContaining([expect.objectContaining({ sellerBan: BANS.seller, bucket: 'overdue', count: 1 })]));
    expect(body.dueByHour.counts).toHaveLength(49);
    expect(body.dueByHour.counts[48]).toBe(2);
    expect(body.stock.rows).toEqual([expect.objectContaining({ track: 'AB', channel: null, total: 1000, used: 2, left: 998 })]);
    expect(body.stock.channels).toEqual([{ sellerBan: BANS.seller, channel: null, left: 998, low: false }]);
    expect(body.imports.imports).toEqual([]);
    expect(body.alertDelivery).toEqual({ targets: [], last: [] });

    await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).send(b2cOrder('D-3')).expect(201);
    await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).send(b2cOrder('D-4')).expect(201);
    await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).send(b2cOrder('D-5')).expect(201);
    const low = await api.http().get('/api/v1/dashboard/number-stock').set(admin()).expect(200);
    expect(low.body.channels).toEqual([{ sellerBan: BANS.seller, channel: null, left: 995, low: false }]);
    await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).send(b2cOrder('D-6')).expect(201);
    const lower = await api.http().get('/api/v1/dashboard/number-stock').set(admin()).expect(200);
    expect(lower.body.channels).toEqual([{ sellerBan: BANS.seller, channel: null, left: 994, low: true }]);
  });

  it('refuses a chart span out of range with the field named', async () => {
    const bad = await api.http().get('/api/v1/dashboard/due-by-hour?hours=0').set(admin()).expect(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'hours' });
    const page = await api.http().get('/').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    await api.http().get('/web/..%2Fpackage.json').expect(404);
  });
});
