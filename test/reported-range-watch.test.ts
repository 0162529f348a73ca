import { DataSource } from 'typeorm';
import { AlertsService } from '../libs/modules/alerts';
import { createReportedRangeWatch } from '../libs/modules/reconciliation';
import { SellerRecord, SellersService } from '../libs/modules/sellers';
import { CredentialsCipher } from '../libs/adapters/crypto/credentials-cipher';
import { randomBytes } from 'node:crypto';
import { BANS } from '../libs/dev/fixtures';
import { TestDatabase, createTestDatabase } from './support/test-database';

/** 2026-03-02 in Taipei: period 11502 (Jan–Feb) has ended, 11504 (Mar–Apr) has not. */
const MARCH_2026 = new Date('2026-03-02T04:00:00Z');

describe('ReportedRangeWatch on real PostgreSQL', () => {
  let test: TestDatabase;
  let db: DataSource;
  let seller: SellerRecord;
  let alerts: AlertsService;
  const clock = { now: () => MARCH_2026 };

  beforeEach(async () => {
    test = await createTestDatabase();
    db = test.dataSource;
    seller = await new SellersService(db, new CredentialsCipher(randomBytes(32))).createSeller({ ban: BANS.seller, name: 'seller' });
    alerts = AlertsService.create(db, clock);
  });
  afterEach(() => test.drop());

  const reportBlank = (period: string) =>
    db.query(
      `INSERT INTO reconciliations (seller_id, period, mode, workflow_id, started_by, reported_ranges, reported_at)
       VALUES ($1, $2, 'report', $3, 'test', $4, now())`,
      [seller.id, period, `reconciliation:${period}`, JSON.stringify([{ invoiceType: '07', track: 'AA', begin: 10, end: 49 }])],
    );
  const change = (period: string, invoiceNumber: string, kind: 'issued' | 'voided' | 'cancelled_blank') => ({
    sellerId: seller.id, channelId: null, period, invoiceNumber, change: kind,
  });
  const conflicts = async () => (await alerts.list({ kinds: ['reconciliation.conflict'], limit: 10 })).alerts.map((a) => a.message);

  it('raises a conflict for a number that changes side after its ended period was reported, and none for a side kept', async () => {
    await reportBlank('11502');
    const watch = createReportedRangeWatch(db, alerts, clock);
    expect(await watch.numberChanged(undefined, change('11502', 'AA00000012', 'issued'))).toBe(true);
    expect(await watch.numberChanged(undefined, change('11502', 'AA00000003', 'cancelled_blank'))).toBe(true);
    expect(await watch.numberChanged(undefined, change('11502', 'AA00000003', 'issued'))).toBe(false);
    expect(await watch.numberChanged(undefined, change('11502', 'AA00000020', 'cancelled_blank'))).toBe(false);
    expect(await conflicts()).toEqual(
      expect.arrayContaining([
        'AA00000012 was issued in a range already reported blank for period 11502',
        'AA00000003 was cancelled as blank after period 11502 was reported with it as used',
      ]),
    );
  });

  it('does not look for a report of a period that has not ended: none can exist (a blank report waits for the end)', async () => {
    // Written by hand past the reconciliation's own refusal, to show the watch does not read it.
    await reportBlank('11504');
    const watch = createReportedRangeWatch(db, alerts, clock);
    expect(await watch.numberChanged(undefined, change('11504', 'AA00000012', 'issued'))).toBe(false);
    expect(await conflicts()).toEqual([]);
  });
});
