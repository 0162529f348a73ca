import { fc } from '@fast-check/jest';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { InvariantsChecker } from '../../libs/modules/invariants';
import { blankRowsBomb, manyRowsWorkbook, sharedStringsBomb } from '../support/hostile-workbook-fixture';
import { TestApi, startTestApi } from '../support/test-api';
import { seedSeller } from '../support/test-stack';
import { BANS, b2cRow, mofCsv, orderWorkbook } from '../../libs/dev/fixtures';

/** Memory a single hostile upload may add to the process; a full parse of what it claims would be far more. */
const MAX_RSS_GROWTH_MB = 300;

const MB = 1024 * 1024;

/** The most the process's RSS rose above its level before `run`, sampled while it ran. */
async function peakRssGrowthMb<T>(run: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - start) / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Files no one should send: each is refused with a 4xx and a code, changes nothing in the database, and does not
 * blow up the process's memory (the API runs in this process, so its RSS is the reader's).
 */
describe('hostile files', () => {
  let api: TestApi & { admin(): { Authorization: string } };
  let before: string;

  const snapshot = async () =>
    JSON.stringify(
      await api.db.dataSource.query(
        `SELECT (SELECT count(*) FROM order_imports) AS imports, (SELECT count(*) FROM track_ranges) AS ranges,
                (SELECT count(*) FROM booklets) AS booklets, (SELECT count(*) FROM invoices) AS invoices`,
      ),
    );
  const uploadWorkbook = (content: Buffer) => api.http().post(`/api/v1/sellers/${BANS.seller}/imports`).set(api.admin()).attach('file', content, 'orders.xlsx');
  const uploadTracks = (content: Buffer) => api.http().post(`/api/v1/sellers/${BANS.seller}/tracks/import`).set(api.admin()).attach('file', content, 'invnoapply.csv');
  const expectRefused = (response: { status: number; body: { code?: unknown; message?: unknown } }) => {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  };

  beforeAll(async () => {
    const started = await startTestApi();
    api = { ...started, admin: () => ({ Authorization: `Bearer ${started.adminKey}` }) };
    await seedSeller(api, 100);
    before = await snapshot();
  });
  afterAll(async () => {
    expect(await snapshot()).toBe(before);
    expect((await new InvariantsChecker(api.db.dataSource).check()).violations).toEqual([]);
    await api.close();
  });

  it('refuses random bytes as a workbook and as a number file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 4096 }), fc.boolean(), async (bytes, zipMagic) => {
        const content = Buffer.from(bytes);
        if (zipMagic && content.length >= 4) content.writeUInt32LE(0x04034b50, 0);
        expectRefused(await uploadWorkbook(content));
        expectRefused(await uploadTracks(content));
      }),
      { numRuns: 40 },
    );
    expect(await snapshot()).toBe(before);
  });

  it('refuses a real workbook cut short anywhere (a broken zip)', async () => {
    const whole = await orderWorkbook([b2cRow('CUT-1')]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4, max: whole.length - 1 }), async (length) => {
        expectRefused(await uploadWorkbook(whole.subarray(0, length)));
      }),
      { numRuns: 25 },
    );
  });

  it('refuses formulas, naming the cell', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await orderWorkbook([b2cRow('F-1')])) as unknown as ArrayBuffer);
    workbook.worksheets[0].getCell('H2').value = { formula: 'SUM(1,1)', result: 2 };
    const response = await uploadWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()));
    expectRefused(response);
    expect(response.body).toMatchObject({ code: 'WORKBOOK.FORMULA', message: expect.stringContaining('H2') });
  });

  it('answers huge cells with row errors, not a crash, within bounded memory', async () => {
    const rss = process.memoryUsage().rss;
    const rows = Array.from({ length: 20 }, (_, i) => b2cRow(`HUGE-${i}`, { description: '長'.repeat(200_000), buyerName: 'x'.repeat(100_000) }));
    const response = await uploadWorkbook(await orderWorkbook(rows));
    expect(response.status).toBe(201);
    expect(response.body.rowsImportable).toBe(0);
    expect(response.body.errors.length).toBeGreaterThan(0);
    expect((process.memoryUsage().rss - rss) / 1024 / 1024).toBeLessThan(MAX_RSS_GROWTH_MB);
    // A preview stores no invoice and takes no number; drop it so the snapshot compares only what must not change.
    await api.db.dataSource.query(`DELETE FROM order_import_orders WHERE import_id = $1`, [response.body.id]);
    await api.db.dataSource.query(`DELETE FROM order_imports WHERE id = $1`, [response.body.id]);
  });

  it('stops a million-row workbook at the row limit, naming it, within bounded memory', async () => {
    const content = await manyRowsWorkbook(await orderWorkbook([b2cRow('MILLION-2')]), 1_000_000);
    const { result: response, growthMb } = await peakRssGrowthMb(() => uploadWorkbook(content));
    expectRefused(response);
    expect(response.body).toMatchObject({ code: 'WORKBOOK.TOO_MANY_ROWS', message: expect.stringContaining('at most 10000') });
    expect(growthMb).toBeLessThan(MAX_RSS_GROWTH_MB);
  });

  it('refuses zip bombs (blank rows in the sheet, one endless shared string) within bounded memory', async () => {
    const workbook = await orderWorkbook([b2cRow('BOMB-1')]);
    // 4× the reader's budget of inflated bytes, a few hundred KB zipped; building bigger ones only costs minutes.
    for (const bomb of [await blankRowsBomb(workbook, 400 * MB), await sharedStringsBomb(workbook, 400 * MB)]) {
      expect(bomb.length).toBeLessThan(2 * MB);
      const { result: response, growthMb } = await peakRssGrowthMb(() => uploadWorkbook(bomb));
      expectRefused(response);
      expect(response.body).toMatchObject({ code: 'WORKBOOK.TOO_LARGE', message: expect.stringContaining('100 MB') });
      expect(growthMb).toBeLessThan(MAX_RSS_GROWTH_MB);
    }
  });

  it('refuses a number file in a wrong encoding or with mangled text', async () => {
    const good = mofCsv(BANS.seller, [{ track: 'ZZ', start: '20000000', end: '20000049', period: '115/01 ~ 115/02' }]).toString('latin1');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('utf16le', 'shift_jis', 'euc-kr', 'cp1252'), fc.string({ maxLength: 40 }), async (encoding, junk) => {
        expectRefused(await uploadTracks(iconv.encode(`${junk}${good.slice(0, 60)}\u0000\uFFFD`, encoding)));
      }),
      { numRuns: 20 },
    );
  });
});
