import { DataSource } from 'typeorm';
import { DomainError } from '../libs/domain';
import { AlertsService } from '../libs/modules/alerts';
import { AllocatedNumber, NumberAllocator, NumberStock, TracksService } from '../libs/modules/numbers';
import { randomBytes } from 'node:crypto';
import { CredentialsCipher } from '../libs/adapters/crypto/credentials-cipher';
import { ChannelRecord, SellerRecord, SellersService } from '../libs/modules/sellers';
import { TestDatabase, createTestDatabase } from './support/test-database';
import { BANS, mofCsv } from '../libs/dev/fixtures';

/** 2026-01-15 noon in Taipei: period 11502. */
const JAN_2026 = new Date('2026-01-15T04:00:00Z');

describe('NumberAllocator on real PostgreSQL', () => {
  let test: TestDatabase;
  let db: DataSource;
  let seller: SellerRecord;
  let web: ChannelRecord;
  let pos: ChannelRecord;
  let sellers: SellersService;
  const allocator = new NumberAllocator();
  const allocate = (count: number, channelId: string | null = null, invoiceDate = JAN_2026) =>
    db.transaction((manager) => allocator.allocate(manager, { sellerId: seller.id, channelId, invoiceDate, count }));

  beforeEach(async () => {
    test = await createTestDatabase();
    db = test.dataSource;
    sellers = new SellersService(db, new CredentialsCipher(randomBytes(32)));
    seller = await sellers.createSeller({ ban: BANS.seller, name: 'seller' });
    web = (await sellers.createChannel(BANS.seller, { code: 'web', kind: 'web', name: 'web', issueTriggers: ['payment'] })).channel;
    pos = (await sellers.createChannel(BANS.seller, { code: 'pos', kind: 'pos', name: 'pos', issueTriggers: ['payment'] })).channel;
  });
  afterEach(() => test.drop());

  const importRanges = (rows: { track: string; start: string; end: string; period?: string }[]) =>
    new TracksService(db, sellers).importFile(seller, mofCsv(BANS.seller, rows), 'test.csv');

  const allowParallel = async (booklets: number) => {
    await sellers.updateSeller(BANS.seller, { poolParallelBooklets: booklets });
    await sellers.updateChannel(BANS.seller, 'web', { parallelBooklets: booklets });
  };

  it.each([1, 4])('%i booklet(s) at once: 20 concurrent allocators taking 2,000 numbers get all distinct numbers, no gaps, each booklet ascending', async (parallel) => {
    await allowParallel(parallel);
    await importRanges([
      { track: 'AA', start: '00000000', end: '00000999' },
      { track: 'AB', start: '00001000', end: '00001999' },
    ]);
    const calls = Array.from({ length: 20 }, (_, i) => i);
    const results = await Promise.all(
      calls.map(async (i) => {
        const mine: AllocatedNumber[][] = [];
        // Uneven request sizes so booklet boundaries fall inside requests.
        for (const size of [7, 13, 30, 50]) mine.push(await allocate(size, i % 2 === 0 ? null : web.id));
        return mine;
      }),
    );
    const all = results.flat(2);
    expect(all).toHaveLength(2000);
    expect(new Set(all.map((n) => n.invoiceNumber)).size).toBe(2000);

    const expected = [
      ...Array.from({ length: 1000 }, (_, i) => `AA${String(i).padStart(8, '0')}`),
      ...Array.from({ length: 1000 }, (_, i) => `AB${String(1000 + i).padStart(8, '0')}`),
    ];
    expect(all.map((n) => n.invoiceNumber).sort()).toEqual(expected);

    for (const request of results.flat()) {
      for (let i = 1; i < request.length; i++) {
        if (request[i].bookletId === request[i - 1].bookletId) expect(request[i].seq).toBe(request[i - 1].seq + 1);
      }
    }
    const byBooklet = new Map<string, string[]>();
    const ledger: { booklet_id: string; invoice_number: string }[] = await db.query(
      `SELECT booklet_id, invoice_number FROM allocated_numbers ORDER BY allocated_at, seq`,
    );
    for (const row of ledger) byBooklet.set(row.booklet_id, [...(byBooklet.get(row.booklet_id) ?? []), row.invoice_number]);
    for (const numbers of byBooklet.values()) expect(numbers).toEqual([...numbers].sort());
    const booklets = await db.query(`SELECT next_seq FROM booklets`);
    expect(booklets.every((b: { next_seq: number }) => b.next_seq === 50)).toBe(true);
  });

  it('with 4 booklets at once, an allocation does not wait for one holding the first booklet, and takes the next booklet in order', async () => {
    await allowParallel(4);
    await importRanges([{ track: 'AA', start: '00000000', end: '00000199' }]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken!: (numbers: AllocatedNumber[]) => void;
    const firstTaken = new Promise<AllocatedNumber[]>((resolve) => (taken = resolve));
    const holder = db.transaction(async (manager) => {
      taken(await allocator.allocate(manager, { sellerId: seller.id, invoiceDate: JAN_2026, count: 1 }));
      await held;
    });
    const first = await firstTaken;
    // Serially (1 at a time) this would wait for the holder's commit; here it completes while the holder is open.
    const second = await allocate(1);
    release();
    await holder;
    expect(first.map((n) => n.invoiceNumber)).toEqual(['AA00000000']);
    expect(second.map((n) => n.invoiceNumber)).toEqual(['AA00000050']);
    expect((await allocate(1)).map((n) => n.invoiceNumber)).toEqual(['AA00000001']);
  });

  it('with 4 booklets at once, a request one booklet holds whole comes from one booklet; a larger one runs on across booklets in order', async () => {
    await allowParallel(4);
    await importRanges([{ track: 'AA', start: '00000000', end: '00000199' }]);
    const numbers = async (count: number) => (await allocate(count)).map((n) => Number(n.invoiceNumber.slice(2)));
    const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(await numbers(45)).toEqual(run(0, 44));
    // The first booklet has 5 left: 10 come whole from the next one, and those 5 stay for a request they hold.
    expect(await numbers(10)).toEqual(run(50, 59));
    expect(await numbers(5)).toEqual(run(45, 49));
    // No booklet holds 60: the second booklet's 40 left, then the third's first 20.
    expect(await numbers(60)).toEqual(run(60, 119));
    const ledger: { next_seq: number }[] = await db.query(`SELECT next_seq FROM booklets ORDER BY start_no`);
    expect(ledger.map((b) => b.next_seq)).toEqual([50, 50, 20, 0]);
  });

  it('takes from the channel booklets first, then the unassigned pool, never from other channels or third parties', async () => {
    await importRanges([{ track: 'AA', start: '00000000', end: '00000199' }]);
    const booklets: { id: string; start_no: number }[] = await db.query(`SELECT id, start_no FROM booklets ORDER BY start_no`);
    await db.query(`UPDATE booklets SET channel_id = $1 WHERE id = $2`, [web.id, booklets[2].id]);
    await db.query(`UPDATE booklets SET channel_id = $1 WHERE id = $2`, [pos.id, booklets[0].id]);
    await db.query(`UPDATE booklets SET third_party = 'MOMO' WHERE id = $1`, [booklets[1].id]);

    const numbers = await allocate(52, web.id);
    expect(numbers[0].invoiceNumber).toBe('AA00000100');
    expect(numbers[49].invoiceNumber).toBe('AA00000149');
    expect(numbers.slice(50).map((n) => n.invoiceNumber)).toEqual(['AA00000150', 'AA00000151']);

    await expect(allocate(49, web.id)).rejects.toThrow('49 needed, 48 left');
  });

  it('gives numbers back when the caller rolls back', async () => {
    await importRanges([{ track: 'AA', start: '00000000', end: '00000049' }]);
    await expect(
      db.transaction(async (manager) => {
        await allocator.allocate(manager, { sellerId: seller.id, invoiceDate: JAN_2026, count: 10 });
        throw new Error('issue failed');
      }),
    ).rejects.toThrow('issue failed');
    const numbers = await allocate(3);
    expect(numbers.map((n) => n.invoiceNumber)).toEqual(['AA00000000', 'AA00000001', 'AA00000002']);
  });

  it('fails with a clear error naming how many are left, and takes nothing', async () => {
    await importRanges([{ track: 'AA', start: '00000000', end: '00000049' }]);
    await allocate(45);
    const error = await allocate(6).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NUMBERS.INSUFFICIENT', message: expect.stringContaining('6 needed, 5 left') });
    expect((await allocate(5)).map((n) => n.invoiceNumber)[4]).toBe('AA00000049');
  });

  it('uses only tracks of the period that contains the invoice date in Asia/Taipei', async () => {
    await importRanges([
      { track: 'AA', start: '00000000', end: '00000049', period: '115/01 ~ 115/02' },
      { track: 'BB', start: '00000000', end: '00000049', period: '115/03 ~ 115/04' },
    ]);
    // 2026-02-28 16:30 UTC is already 1 March in Taipei.
    const [march] = await allocate(1, null, new Date('2026-02-28T16:30:00Z'));
    expect(march).toMatchObject({ invoiceNumber: 'BB00000000', period: '11504' });
    const [feb] = await allocate(1, null, new Date('2026-02-28T15:30:00Z'));
    expect(feb).toMatchObject({ invoiceNumber: 'AA00000000', period: '11502' });
    await expect(allocate(1, null, new Date('2026-05-02T00:00:00Z'))).rejects.toThrow('period 11506: 1 needed, 0 left');
  });

  it('reads only the booklets it takes: with 2,000 open, the candidates come from their index in order, not a sort of all', async () => {
    await importRanges([{ track: 'AA', start: '00000000', end: '00099999' }]);
    await db.query('ANALYZE booklets');
    const [{ 'QUERY PLAN': [plan] }] = await db.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM invoice_number_candidates($1, '11502', '07', $2) LIMIT 4`,
      [seller.id, web.id],
    );
    const nodes: { 'Node Type': string; 'Index Name'?: string; 'Actual Rows': number }[] = [];
    const walk = (node: { Plans?: unknown[] }) => {
      nodes.push(node as (typeof nodes)[number]);
      for (const child of node.Plans ?? []) walk(child as { Plans?: unknown[] });
    };
    walk(plan.Plan);
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(nodes.find((n) => n['Node Type'] === 'Index Scan')).toMatchObject({ 'Index Name': 'booklets_candidates', 'Actual Rows': 4 });
    expect((await allocate(1)).map((n) => n.invoiceNumber)).toEqual(['AA00000000']);
  });

  it('moves a booklet on without touching its indexes (HOT updates) until its last number, which takes it off the candidates', async () => {
    await importRanges([{ track: 'AA', start: '00000000', end: '00000099' }]);
    for (const parallel of [1, 4]) {
      await allowParallel(parallel);
      const counts = await db.transaction(async (manager) => {
        for (let i = 0; i < 24; i++) await allocator.allocate(manager, { sellerId: seller.id, invoiceDate: JAN_2026, count: 1 });
        const [row] = await manager.query(
          `SELECT pg_stat_get_xact_tuples_updated('booklets'::regclass)::int AS updated, pg_stat_get_xact_tuples_hot_updated('booklets'::regclass)::int AS hot`,
        );
        return row;
      });
      // The backend's counts not yet flushed to the statistics include earlier transactions': every one must be HOT.
      expect(counts.updated).toBeGreaterThanOrEqual(24);
      expect(counts.hot).toBe(counts.updated);
    }
    await allocate(2);
    const booklets = await db.query(`SELECT start_no, next_seq, exhausted FROM booklets ORDER BY start_no`);
    expect(booklets).toEqual([
      { start_no: 0, next_seq: 50, exhausted: true },
      { start_no: 50, next_seq: 0, exhausted: false },
    ]);
    expect((await db.query(`SELECT start_no FROM invoice_number_candidates($1, '11502', '07', NULL)`, [seller.id])).map((b: { start_no: number }) => b.start_no)).toEqual([50]);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(allocator.allocate(db.manager, { sellerId: seller.id, invoiceDate: JAN_2026, count: 1 })).rejects.toThrow('inside a transaction');
  });

  describe('the database itself', () => {
    beforeEach(() => importRanges([{ track: 'AA', start: '00000000', end: '00000099' }]));

    it('refuses an overlapping or repeated range by its exclusion constraint', async () => {
      const insert = (start: number, end: number, period = '11502') =>
        db.query(`INSERT INTO track_ranges (seller_id, period, invoice_type, track, start_no, end_no) VALUES ($1, $2, '07', 'AA', $3, $4)`, [seller.id, period, start, end]);
      await expect(insert(0, 99)).rejects.toThrow(/track_ranges_no_overlap/);
      await expect(insert(50, 149)).rejects.toThrow(/track_ranges_no_overlap/);
      await expect(insert(100, 149)).resolves.toBeDefined();
      await expect(insert(0, 49, '11504')).resolves.toBeDefined();
    });

    it('refuses a ledger with a skipped number or a number handed out twice', async () => {
      const [booklet] = await db.query(`SELECT id FROM booklets ORDER BY start_no LIMIT 1`);
      const skip = db.transaction(async (manager) => {
        await manager.query(`UPDATE booklets SET next_seq = 2 WHERE id = $1`, [booklet.id]);
        await manager.query(
          `INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number) VALUES ($1, 0, $2, '11502', 'AA00000000'), ($1, 2, $2, '11502', 'AA00000002')`,
          [booklet.id, seller.id],
        );
      });
      await expect(skip).rejects.toThrow(/ledger holds 2 numbers \(highest seq 2\), expected the first 2/);

      await allocate(1);
      const twice = db.query(
        `INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number) VALUES ($1, 0, $2, '11502', 'AA00000000')`,
        [booklet.id, seller.id],
      );
      await expect(twice).rejects.toThrow(/duplicate key/);
      const ahead = db.query(
        `INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number) VALUES ($1, 1, $2, '11502', 'AA00000001')`,
        [booklet.id, seller.id],
      );
      await expect(ahead).rejects.toThrow(/ledger gets seq 1 past the first 1/);
      const dropped = db.query(`DELETE FROM allocated_numbers WHERE booklet_id = $1`, [booklet.id]);
      await expect(dropped).rejects.toThrow(/ledger holds 0 numbers/);
      const behind = db.query(`UPDATE booklets SET next_seq = 0 WHERE id = $1`, [booklet.id]);
      await expect(behind).rejects.toThrow(/ledger holds 1 numbers/);
    });

    it('refuses every number of a booklet whose blank range is reported: closed with the report, offered by neither allocation path, refused to a hand-made allocation', async () => {
      await importRanges([{ track: 'BB', start: '00000000', end: '00000049', period: '115/03 ~ 115/04' }]);
      await allocate(3);
      // The report run recorded as reported (what ReconciliationService does before its first E0402 goes out).
      const [run] = await db.query(
        `INSERT INTO reconciliations (seller_id, period, mode, workflow_id, started_by) VALUES ($1, '11502', 'report', 'reconciliation:test', 'test') RETURNING id`,
        [seller.id],
      );
      await db.query(`UPDATE reconciliations SET reported_at = now() WHERE id = $1`, [run.id]);
      const booklets: { id: string; period: string; next_seq: number; reported_at: Date | null }[] = await db.query(`SELECT id, period, next_seq, reported_at FROM booklets ORDER BY period, start_no`);
      expect(booklets.map((b) => [b.period, b.reported_at !== null])).toEqual([['11502', true], ['11502', true], ['11504', false]]);

      for (const parallel of [1, 4]) {
        await allowParallel(parallel);
        expect(await db.query(`SELECT * FROM invoice_number_candidates($1, '11502', '07', NULL)`, [seller.id])).toEqual([]);
        expect(await db.transaction((m) => m.query(`SELECT * FROM allocate_invoice_numbers($1, '11502', '07', NULL, 1)`, [seller.id]))).toEqual([]);
        expect(await db.transaction((m) => m.query(`SELECT * FROM allocate_invoice_numbers_serially($1, '11502', '07', NULL, 1)`, [seller.id]))).toEqual([]);
        await expect(allocate(1)).rejects.toMatchObject({ code: 'NUMBERS.INSUFFICIENT' });
        expect(await db.transaction((m) => allocator.remaining(m, { sellerId: seller.id, channelId: null, invoiceDate: JAN_2026 }))).toBe(0);
      }
      // Past every function: the booklet's counter and the ledger refuse the next number themselves.
      const [first] = booklets;
      await expect(db.query(`UPDATE booklets SET next_seq = 4 WHERE id = $1`, [first.id])).rejects.toThrow(/reported blank/);
      await expect(db.query(
        `INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number) VALUES ($1, 3, $2, '11502', 'AA00000003')`,
        [first.id, seller.id],
      )).rejects.toThrow(/reported blank/);
      expect((await db.query(`SELECT next_seq FROM booklets WHERE id = $1`, [first.id]))[0].next_seq).toBe(3);
      // Another period's booklets are not touched by the report.
      expect((await allocate(1, null, new Date('2026-03-15T04:00:00Z')))[0].invoiceNumber).toBe('BB00000000');
    });
  });

  it('numbers.low: a channel below the threshold raises one alert, one occurrence while it stays low, another when it runs out; numbers added resolve it', async () => {
    const clock = { now: () => new Date() };
    const alerts = AlertsService.create(db, clock);
    // The threshold is configuration (NUMBERS_LOW_THRESHOLD); 30 here, the default 100 would need more ranges.
    const stock = new NumberStock(db, allocator, alerts, 30);
    const check = () => db.transaction((manager) => stock.check({ sellerId: seller.id, channelId: web.id, at: JAN_2026 }, manager));
    const lowAlerts = async () => (await alerts.list({ kinds: ['numbers.low'], limit: 10 })).alerts;
    await importRanges([{ track: 'AA', start: '00000000', end: '00000099' }]);

    await allocate(60, web.id);
    expect(await check()).toBe(40);
    expect(await lowAlerts()).toEqual([]);

    await allocate(15, web.id);
    expect(await check()).toBe(25);
    await allocate(5, web.id);
    expect(await check()).toBe(20);
    const [low, ...more] = await lowAlerts();
    expect(more).toEqual([]);
    expect(low).toMatchObject({
      kind: 'numbers.low', severity: 'warning', state: 'open', occurrences: 1, sellerId: seller.id, channelId: web.id,
      detail: { period: '11502', left: 20, threshold: 30 },
    });
    // Every invoice issued checks again; only a change of state counts: none left is critical.
    for (let i = 0; i < 3; i++) expect(await check()).toBe(20);
    await allocate(20, web.id);
    expect(await check()).toBe(0);
    expect(await lowAlerts()).toEqual([expect.objectContaining({ id: low.id, severity: 'critical', occurrences: 2, detail: { period: '11502', left: 0, threshold: 30 } })]);

    await importRanges([{ track: 'AB', start: '00000100', end: '00000199' }]);
    // The check after the numbers arrive (each issue runs it) finds 100 left and clears the alert.
    expect(await check()).toBe(100);
    expect(await lowAlerts()).toEqual([expect.objectContaining({ id: low.id, state: 'resolved' })]);

    // A large allotment (2,000 more booklets) is counted only as far as the threshold needs: 30 booklets, not 2,002.
    await importRanges([{ track: 'AC', start: '00000000', end: '00099999' }]);
    expect(await check()).toBe(30 * 50);
    expect(await db.transaction((manager) => allocator.remaining(manager, { sellerId: seller.id, channelId: web.id, invoiceDate: JAN_2026 }))).toBe(100_100);
    expect(await lowAlerts()).toEqual([expect.objectContaining({ id: low.id, state: 'resolved' })]);
  });
});
