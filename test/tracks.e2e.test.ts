import { TestApi, startTestApi } from './support/test-api';
import { BANS, mofCsv } from '../libs/dev/fixtures';

describe('number tracks through HTTP (EINV410)', () => {
  let api: TestApi;
  const admin = () => ({ Authorization: `Bearer ${api.adminKey}` });
  const count = async (table: string) => Number((await api.db.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    api = await startTestApi();
    await api.http().post('/api/v1/sellers').set(admin()).send({ ban: BANS.seller, name: '範例股份有限公司' }).expect(201);
    await api.http().post('/api/v1/sellers').set(admin()).send({ ban: BANS.other, name: '其他公司' }).expect(201);
    await api
      .http()
      .post(`/api/v1/sellers/${BANS.seller}/channels`)
      .set(admin())
      .send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] })
      .expect(201);
  });
  afterAll(() => api.close());

  const importFile = (ban: string, file: Buffer, name = 'invnoapply.csv') =>
    api.http().post(`/api/v1/sellers/${ban}/tracks/import`).set(admin()).attach('file', file, name);

  it('imports a Big5 MOF file and splits every range into booklets of 50', async () => {
    const file = mofCsv(BANS.seller, [
      { track: 'KD', start: '12340000', end: '12340149' },
      { track: 'KE', start: '00000050', end: '00000099', type: '7', period: '11502' },
    ]);
    const response = await importFile(BANS.seller, file).expect(201);
    expect(response.body).toEqual({ ranges: 2, booklets: 4 });

    const list = await api.http().get(`/api/v1/sellers/${BANS.seller}/tracks?period=202601`).set(admin()).expect(200);
    expect(list.body.tracks).toHaveLength(2);
    const [kd, ke] = list.body.tracks;
    expect(kd).toMatchObject({ period: '11502', periodRange: '115/01 ~ 115/02', invoiceType: '07', track: 'KD', start: 'KD12340000', end: 'KD12340149', used: 0, left: 150, blank: 0 });
    expect(kd.booklets.map((b: { start: string; end: string }) => `${b.start}-${b.end}`)).toEqual([
      'KD12340000-KD12340049',
      'KD12340050-KD12340099',
      'KD12340100-KD12340149',
    ]);
    expect(ke.booklets).toHaveLength(1);
    const otherPeriod = await api.http().get(`/api/v1/sellers/${BANS.seller}/tracks?period=115/03 ~ 115/04`).set(admin()).expect(200);
    expect(otherPeriod.body.tracks).toEqual([]);
  });

  it('refuses a file overlapping numbers already imported, naming the row, and imports nothing of it', async () => {
    const before = await count('booklets');
    const file = mofCsv(BANS.seller, [
      { track: 'KF', start: '00000000', end: '00000049' },
      { track: 'KD', start: '12340100', end: '12340199' },
    ]);
    const response = await importFile(BANS.seller, file).expect(409);
    expect(response.body.code).toBe('TRACK.OVERLAP');
    expect(response.body.details).toEqual([
      expect.objectContaining({ row: 3, code: 'TRACK.OVERLAP', message: expect.stringContaining('KD12340000–KD12340149') }),
    ]);
    expect(await count('booklets')).toBe(before);
    expect(await count(`track_ranges WHERE track = 'KF'`)).toBe(0);
  });

  it('rejects a file with bad rows as a whole, listing every error by row and column', async () => {
    const before = await count('track_ranges');
    const file = mofCsv(BANS.seller, [
      { track: 'KG', start: '00000000', end: '00000049' },
      { track: 'K1', start: '00000000', end: '00000049' },
      { track: 'KH', start: '0000005', end: '00000049' },
      { track: 'KJ', start: '00000010', end: '00000049' },
      { track: 'KK', start: '00000000', end: '00000049', ban: BANS.other },
      { track: 'KL', start: '00000000', end: '00000049', period: '115/02 ~ 115/03' },
    ]);
    const response = await importFile(BANS.seller, file).expect(400);
    expect(response.body.code).toBe('TRACK_FILE.INVALID');
    expect(response.body.details.map((d: { row: number; column: string; code: string }) => [d.row, d.column, d.code])).toEqual([
      [3, 'E 發票字軌名稱', 'TRACK_FILE.TRACK_INVALID'],
      [4, 'F 發票起號', 'TRACK_FILE.NUMBER_INVALID'],
      [5, 'G 發票迄號', 'TRACK_FILE.NOT_WHOLE_BOOKLETS'],
      [6, 'A 營業人統編', 'TRACK_FILE.BAN_NOT_SELLER'],
      [7, 'D 發票期別', 'TRACK_FILE.PERIOD_UNREADABLE'],
    ]);
    expect(await count('track_ranges')).toBe(before);
  });

  it('answers a missing file, a file of another type and an oversized file with a clear 400', async () => {
    const missing = await api.http().post(`/api/v1/sellers/${BANS.seller}/tracks/import`).set(admin()).expect(400);
    expect(missing.body.code).toBe('FILE.MISSING');
    const binary = await importFile(BANS.seller, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x81]), 'tracks.xlsx').expect(400);
    expect(binary.body.code).toMatch(/^(FILE\.ENCODING|TRACK_FILE\.INVALID)$/);
    const huge = await importFile(BANS.seller, Buffer.alloc(2 * 1024 * 1024, 'a')).expect(413);
    expect(huge.body.message).toMatch(/too large/i);
  });

  it('accepts UTF-8 with a BOM and every period notation', async () => {
    const file = mofCsv(
      BANS.seller,
      [
        { track: 'MA', start: '10000000', end: '10000049', period: '115/03~115/04' },
        { track: 'MB', start: '10000000', end: '10000049', period: '202605' },
        { track: 'MC', start: '10000000', end: '10000049', period: '11508' },
      ],
      { encoding: 'utf8', bom: true },
    );
    await importFile(BANS.seller, file).expect(201);
    const periods = await api.db.dataSource.query(`SELECT period FROM track_ranges WHERE track IN ('MA', 'MB', 'MC') ORDER BY track`);
    expect(periods.map((p: { period: string }) => p.period)).toEqual(['11504', '11506', '11508']);
  });

  it('assigns booklets to a channel or a third party and records the third party blank start inside the booklet', async () => {
    const list = await api.http().get(`/api/v1/sellers/${BANS.seller}/tracks?period=11502`).set(admin()).expect(200);
    const [first, second] = list.body.tracks[0].booklets;
    const toChannel = await api.http().patch(`/api/v1/sellers/${BANS.seller}/booklets/${first.id}`).set(admin()).send({ channelCode: 'web' }).expect(200);
    expect(toChannel.body).toMatchObject({ channel: 'web', thirdParty: null });
    await api.http().patch(`/api/v1/sellers/${BANS.seller}/booklets/${first.id}`).set(admin()).send({ channelCode: 'nope' }).expect(400);

    const refused = await api.http().put(`/api/v1/sellers/${BANS.seller}/booklets/${first.id}/blank-start`).set(admin()).send({ blankStart: 'KD12340010' }).expect(409);
    expect(refused.body.code).toBe('BOOKLET.NOT_THIRD_PARTY');

    await api.http().patch(`/api/v1/sellers/${BANS.seller}/booklets/${second.id}`).set(admin()).send({ thirdParty: 'MOMO' }).expect(200);
    const outside = await api.http().put(`/api/v1/sellers/${BANS.seller}/booklets/${second.id}/blank-start`).set(admin()).send({ blankStart: 'KD12340100' }).expect(400);
    expect(outside.body.details[0]).toMatchObject({ field: 'blankStart', message: 'must be between KD12340050 and KD12340099' });
    const blank = await api.http().put(`/api/v1/sellers/${BANS.seller}/booklets/${second.id}/blank-start`).set(admin()).send({ blankStart: '12340080' }).expect(200);
    expect(blank.body).toMatchObject({ thirdParty: 'MOMO', blankStart: 'KD12340080', used: 30, left: 0, blank: 20 });
  });

  it('keeps a channel key to its own seller and away from admin operations', async () => {
    const issued = await api.http().post(`/api/v1/sellers/${BANS.seller}/channels/web/api-keys`).set(admin()).send({ name: 'shop' }).expect(201);
    const channelKey = { Authorization: `Bearer ${issued.body.key}` };
    const stored = await api.db.dataSource.query(`SELECT key_hash FROM api_keys`);
    expect(JSON.stringify(stored)).not.toContain(issued.body.key);

    await api.http().get(`/api/v1/sellers/${BANS.seller}/tracks`).set(channelKey).expect(200);
    const other = await api.http().get(`/api/v1/sellers/${BANS.other}/tracks`).set(channelKey).expect(403);
    expect(other.body.code).toBe('AUTH.OTHER_SELLER');
    const adminOnly = await api.http().post(`/api/v1/sellers/${BANS.seller}/tracks/import`).set(channelKey).attach('file', mofCsv(BANS.seller, [{ track: 'ZZ', start: '00000000', end: '00000049' }]), 'x.csv').expect(403);
    expect(adminOnly.body.code).toBe('AUTH.ADMIN_ONLY');
    await api.http().get(`/api/v1/sellers/${BANS.seller}/tracks`).expect(401);
    await api.http().get(`/api/v1/sellers/${BANS.seller}/tracks`).set({ Authorization: 'Bearer einv_not-a-key' }).expect(401);
  });
});
