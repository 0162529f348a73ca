import { createApiApp } from '../apps/api/create-api-app';
import { TestApi, startTestApi } from './support/test-api';
import request from 'supertest';
import { BANS } from '../libs/dev/fixtures';

describe('sellers, channels, API keys and health through HTTP', () => {
  let api: TestApi;
  const admin = () => ({ Authorization: `Bearer ${api.adminKey}` });

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('reports database and Temporal in /health and serves the OpenAPI docs', async () => {
    const health = await api.http().get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } });
    const docs = await api.http().get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/sellers', '/api/v1/sellers/{ban}/tracks/import']));
  });

  it('reports Temporal down with 503 when it cannot be reached', async () => {
    const app = await createApiApp({ ...api.config, temporal: { ...api.config.temporal, address: '127.0.0.1:1' } });
    await app.init();
    try {
      const health = await request(app.getHttpServer()).get('/health').expect(503);
      expect(health.body).toMatchObject({ status: 'degraded', database: { status: 'up' }, temporal: { status: 'down' } });
    } finally {
      await app.close();
    }
  });

  it('creates a seller only with a valid BAN, once', async () => {
    const bad = await api.http().post('/api/v1/sellers').set(admin()).send({ ban: '12345678', name: 'x' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'SELLER.BAN_INVALID', details: [{ field: 'ban', code: 'SELLER.BAN_INVALID' }] });
    const shape = await api.http().post('/api/v1/sellers').set(admin()).send({ ban: '1234567', name: '' }).expect(400);
    expect(shape.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['ban', 'name']);
    const created = await api.http().post('/api/v1/sellers').set(admin()).send({ ban: BANS.seller, name: '範例', address: '臺北市' }).expect(201);
    expect(created.body).toMatchObject({ ban: BANS.seller, name: '範例', address: '臺北市', blankReporting: true });
    const again = await api.http().post('/api/v1/sellers').set(admin()).send({ ban: BANS.seller, name: '範例' }).expect(409);
    expect(again.body.code).toBe('SELLER.EXISTS');
    await api.http().get('/api/v1/sellers/99999999').set(admin()).expect(404);
  });

  it('stores channel credentials encrypted and never returns them', async () => {
    const aesKey = 'AES-SECRET-0123456789abcdef';
    const created = await api
      .http()
      .post(`/api/v1/sellers/${BANS.seller}/channels`)
      .set(admin())
      .send({ code: 'pos-1', kind: 'pos', name: '門市 POS', issueTriggers: ['payment', 'shipment'], credentials: { storeCode: 'S001', posCode: 'P01', aesKey } })
      .expect(201);
    expect(created.body).toEqual({
      code: 'pos-1',
      kind: 'pos',
      name: '門市 POS',
      issueTriggers: ['payment', 'shipment'],
      selfManagedLogistics: false,
      parallelBooklets: 1,
      credentialFields: ['aesKey', 'posCode', 'storeCode'],
      warnings: [],
    });
    const [row] = await api.db.dataSource.query(`SELECT credentials_sealed FROM channels WHERE code = 'pos-1'`);
    expect(row.credentials_sealed.toString('latin1')).not.toContain(aesKey);
    expect(row.credentials_sealed.toString('latin1')).not.toContain('S001');
    const seller = await api.http().get(`/api/v1/sellers/${BANS.seller}`).set(admin()).expect(200);
    expect(JSON.stringify(seller.body)).not.toContain(aesKey);
  });

  it('warns when delivery is the only trigger of a self-delivering channel, and refuses unknown kinds and triggers', async () => {
    const warned = await api
      .http()
      .post(`/api/v1/sellers/${BANS.seller}/channels`)
      .set(admin())
      .send({ code: 'own-fleet', kind: 'web', name: '自有物流', issueTriggers: ['delivery'], selfManagedLogistics: true })
      .expect(201);
    expect(warned.body.warnings).toEqual([expect.stringContaining('no carrier will report delivery')]);
    const bad = await api
      .http()
      .post(`/api/v1/sellers/${BANS.seller}/channels`)
      .set(admin())
      .send({ code: 'x y', kind: 'fax', name: 'n', issueTriggers: ['whenever'] })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['code', 'issueTriggers', 'kind']);
    const duplicate = await api.http().post(`/api/v1/sellers/${BANS.seller}/channels`).set(admin()).send({ code: 'pos-1', kind: 'pos', name: 'again', issueTriggers: ['payment'] }).expect(409);
    expect(duplicate.body.code).toBe('CHANNEL.EXISTS');
  });

  it('issues channel API keys that reach their own seller but cannot create sellers or keys', async () => {
    const issued = await api.http().post(`/api/v1/sellers/${BANS.seller}/channels/pos-1/api-keys`).set(admin()).send({ name: 'pos backend' }).expect(201);
    expect(issued.body.key).toMatch(/^einv_[A-Za-z0-9_-]{43}$/);
    const channelKey = { Authorization: `Bearer ${issued.body.key}` };
    const own = await api.http().get(`/api/v1/sellers/${BANS.seller}`).set(channelKey).expect(200);
    expect(own.body.ban).toBe(BANS.seller);
    await api.http().post('/api/v1/sellers').set(channelKey).send({ ban: BANS.other, name: 'x' }).expect(403);
    await api.http().post(`/api/v1/sellers/${BANS.seller}/channels/pos-1/api-keys`).set(channelKey).send({ name: 'more' }).expect(403);
    await api.http().post(`/api/v1/sellers/${BANS.seller}/channels/nope/api-keys`).set(admin()).send({ name: 'x' }).expect(404);
  });

  it('changes a seller: its settings, its tax registration number, its QR code key (sealed, never shown) and its stamp', async () => {
    const seller = () => api.http().get(`/api/v1/sellers/${BANS.seller}`).set(admin()).expect(200).then((r) => r.body);
    const changed = await api.http().patch(`/api/v1/sellers/${BANS.seller}`).set(admin()).send({ taxRegistrationNumber: '123456789', poolParallelBooklets: 3 }).expect(200);
    expect(changed.body).toMatchObject({ ban: BANS.seller, taxRegistrationNumber: '123456789', poolParallelBooklets: 3, blankReporting: true });
    const badNumber = await api.http().patch(`/api/v1/sellers/${BANS.seller}`).set(admin()).send({ taxRegistrationNumber: '12345678', poolParallelBooklets: 0 }).expect(400);
    expect(badNumber.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['poolParallelBooklets', 'taxRegistrationNumber']);
    expect(await seller()).toMatchObject({ taxRegistrationNumber: '123456789', poolParallelBooklets: 3, qrKeySetAt: null, stamp: false });

    const key = 'FE05F029154F6AA67A78B338ED2F6601';
    const badKey = await api.http().put(`/api/v1/sellers/${BANS.seller}/qr-key`).set(admin()).send({ key: key.slice(1) }).expect(400);
    expect(badKey.body).toMatchObject({ code: 'SELLER.QR_KEY_INVALID', details: [{ field: 'key' }] });
    const set = await api.http().put(`/api/v1/sellers/${BANS.seller}/qr-key`).set(admin()).send({ key }).expect(200);
    expect(set.body.qrKeySetAt).toEqual(expect.any(String));
    expect(JSON.stringify(set.body) + JSON.stringify(await seller())).not.toContain(key);
    const [row] = await api.db.dataSource.query(`SELECT qr_aes_key_sealed FROM sellers WHERE ban = $1`, [BANS.seller]);
    expect(row.qr_aes_key_sealed.toString('latin1')).not.toContain(key);

    const notImage = await api.http().put(`/api/v1/sellers/${BANS.seller}/stamp`).set(admin()).attach('file', Buffer.from('GIF89a not a stamp'), 'stamp.png').expect(400);
    expect(notImage.body).toMatchObject({ code: 'SELLER.STAMP_NOT_IMAGE' });
    // A 1×1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    expect((await api.http().put(`/api/v1/sellers/${BANS.seller}/stamp`).set(admin()).attach('file', png, 'stamp.png').expect(200)).body.stamp).toBe(true);
    expect((await api.http().delete(`/api/v1/sellers/${BANS.seller}/stamp`).set(admin()).expect(200)).body.stamp).toBe(false);
  });
});
