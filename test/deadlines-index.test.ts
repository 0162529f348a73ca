import { DataSource } from 'typeorm';
import { accessPaths, invoiceReader, planJson, serviceQuery } from '../libs/dev/explain';
import { OPEN_STATES, SeedResult, countBrokenLedgers, seedInvoices } from '../libs/dev/seed-invoices';
import { InvoiceRecord, InvoicesService } from '../libs/modules/invoices';
import { TestDatabase, createTestDatabase } from './support/test-database';

/** 2026-01-15 noon in Taipei: overdue invoices fell due during the last 12 hours. */
const NOW = new Date('2026-01-15T04:00:00Z');
const HOUR_MS = 3600_000;
const INDEX = 'invoices_open_deadlines';


/**
 * The partial index on open deadlines, on enough invoices (50,000, 98 % accepted) for the planner's choice to mean
 * something: plans are taken of the exact SQL InvoicesService sends, with the same parameters.
 */
describe('deadline listings use invoices_open_deadlines', () => {
  let test: TestDatabase;
  let db: DataSource;
  let seed: SeedResult;
  let service: InvoicesService;
  let invoiceIndexes: string[];

  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.dataSource;
    // With the ledger triggers and foreign keys on: the generator's booklets and numbers must satisfy them as is.
    seed = await seedInvoices(db, { invoices: 50_000, sellers: 20, openRatio: 0.02, now: NOW, bypassTriggers: false });
    service = invoiceReader(db);
    invoiceIndexes = (await db.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'invoices'`)).map((r: { indexname: string }) => r.indexname);
  });
  afterAll(() => test?.drop());

  const accessTo = async (call: (s: InvoicesService) => Promise<unknown>) => accessPaths(await planJson(db, await serviceQuery(call)), 'invoices', invoiceIndexes);
  const expectIndexOnly = (paths: string[]) => {
    expect(paths).not.toContain('Seq Scan');
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toMatch(new RegExp(`^(Index Scan|Index Only Scan|Bitmap Index Scan) using (${INDEX}|${INDEX}_by_due)$`));
  };

  /** Every invoice of the seller, straight from the table: the oracle the listings are checked against. */
  const allOf = async (sellerId: string): Promise<{ id: string; deadline_state: string; upload_due_at: Date }[]> =>
    db.query(`SELECT id, deadline_state, upload_due_at FROM invoices WHERE seller_id = $1`, [sellerId]);

  it('seeds 50,000 invoices, 98 % done and every open state present, with sound ledgers', async () => {
    const total = Object.values(seed.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(50_000);
    expect(seed.counts.done / total).toBeGreaterThan(0.975);
    expect(seed.counts.done / total).toBeLessThan(0.985);
    for (const state of OPEN_STATES) expect(seed.counts[state]).toBeGreaterThan(0);
    expect(await countBrokenLedgers(db)).toBe(0);
    const [{ incoherent }] = await db.query(
      `SELECT count(*)::int AS incoherent FROM invoices
        WHERE CASE WHEN $1 > legal_due_at THEN 'past_legal' WHEN $1 > upload_due_at THEN 'overdue'
                   WHEN $1 >= warn_at THEN 'due_soon' ELSE 'on_time' END <> deadline_state
          AND deadline_state <> 'done'`,
      [NOW],
    );
    expect(incoherent).toBe(0);
  });

  it('per-seller listing (state=overdue, within=8h) reads the partial index, never the whole table', async () => {
    const sellerId = seed.sellers[3].id;
    expectIndexOnly(await accessTo((s) => s.deadlines({ sellerId, states: ['overdue'], withinMs: 8 * HOUR_MS, now: NOW })));
    expectIndexOnly(await accessTo((s) => s.deadlines({ sellerId, now: NOW })));
  });

  it('cross-seller state listing reads a partial index of open deadlines', async () => {
    expectIndexOnly(await accessTo((s) => s.deadlines({ states: ['overdue'], now: NOW })));
    expectIndexOnly(await accessTo((s) => s.deadlines({ states: ['overdue', 'past_legal'], now: NOW })));
  });

  it('deadline summary reads the partial index', async () => {
    expectIndexOnly(await accessTo((s) => s.deadlineSummary()));
  });

  it('per-seller listing returns exactly that seller’s open invoices in the states and window asked, nearest first', async () => {
    const seller = seed.sellers[7];
    const within = NOW.getTime() + 8 * HOUR_MS;
    const states = ['on_time', 'due_soon', 'overdue'];
    const expected = (await allOf(seller.id))
      .filter((r) => states.includes(r.deadline_state) && r.upload_due_at.getTime() <= within)
      .sort((a, b) => a.upload_due_at.getTime() - b.upload_due_at.getTime());
    // due_soon and overdue fall due within 8 h; on_time ones (due in more than 8 h) must be left out.
    expect(new Set(expected.map((r) => r.deadline_state))).toEqual(new Set(['due_soon', 'overdue']));

    const rows = await service.deadlines({ sellerId: seller.id, states, withinMs: 8 * HOUR_MS, now: NOW });
    expectNearestFirst(rows);
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(rows.every((r) => r.sellerId === seller.id)).toBe(true);
  });

  it('per-seller listing of every open state stops at the limit with the nearest deadlines', async () => {
    const seller = seed.sellers[11];
    const open = (await allOf(seller.id))
      .filter((r) => r.deadline_state !== 'done')
      .map((r) => r.upload_due_at.getTime())
      .sort((a, b) => a - b);
    expect(open.length).toBeGreaterThan(20);

    const rows = await service.deadlines({ sellerId: seller.id, limit: 20, now: NOW });
    expect(rows).toHaveLength(20);
    expectNearestFirst(rows);
    expect(rows.every((r) => r.sellerId === seller.id && r.deadlineState !== 'done')).toBe(true);
    // Compared by due time, so ties at the cut cannot make the test flaky.
    expect(rows.map((r) => r.dueAt.getTime())).toEqual(open.slice(0, 20));
  });

  it('cross-seller overdue listing holds only overdue invoices, nearest first, from several sellers', async () => {
    const rows = await service.deadlines({ states: ['overdue'], now: NOW });
    expect(rows).toHaveLength(seed.counts.overdue);
    expectNearestFirst(rows);
    expect(rows.every((r) => r.deadlineState === 'overdue')).toBe(true);
    expect(new Set(rows.map((r) => r.sellerId)).size).toBe(seed.sellers.length);
  });
});

function expectNearestFirst(rows: InvoiceRecord[]): void {
  const dueTimes = rows.map((r) => r.dueAt.getTime());
  expect(dueTimes).toEqual([...dueTimes].sort((a, b) => a - b));
}
