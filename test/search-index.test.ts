import { DataSource } from 'typeorm';
import { accessPaths, invoiceReader, planJson, planNodes, serviceQuery } from '../libs/dev/explain';
import { BUYER_COMPANIES, enrichSearchColumns } from '../libs/dev/search-seed';
import { SeedResult, seedInvoices } from '../libs/dev/seed-invoices';
import { InvoiceSearch, InvoicesService } from '../libs/modules/invoices';
import { SellerRecord } from '../libs/modules/sellers';
import { TestDatabase, createTestDatabase } from './support/test-database';

/** 2026-01-15 noon in Taipei. */
const NOW = new Date('2026-01-15T04:00:00Z');
const DAY_MS = 24 * 3600_000;
/** The statuses a clerk looks for when chasing invoices Turnkey has not accepted yet. */
const OPEN_STATUSES = ['issued', 'uploading', 'rejected'];

/** What the oracle reads of an invoice: every column a search filters or orders on. */
interface OracleRow {
  id: string;
  invoice_number: string;
  billing_no: string;
  buyer_ban: string | null;
  buyer_name: string | null;
  period: string;
  status: string;
  issued_at: Date;
}

/** Newest first, then the larger id first: the order search promises (uuid order is the order of its hex text). */
const newestFirst = (a: OracleRow, b: OracleRow) => b.issued_at.getTime() - a.issued_at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * Einv120 search on 50,000 invoices (20 sellers), with buyer BANs on 30 % of them and a buyer name on every one
 * (enrichSearchColumns: the seed leaves both empty). For each search shape: the plan of the exact SQL
 * InvoicesService sends reads invoices through indexes only, and the rows are those an oracle computes from the
 * seller's whole table in node — the right ones, newest first, at most `limit`, and pages that follow each other
 * through the cursor without overlap or gap.
 */
describe('invoice search uses the search indexes and pages by cursor', () => {
  let test: TestDatabase;
  let db: DataSource;
  let seed: SeedResult;
  let service: InvoicesService;
  let invoiceIndexes: string[];
  let seller: SellerRecord;
  /** Every invoice of `seller`, newest first. */
  let oracle: OracleRow[];

  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.dataSource;
    seed = await seedInvoices(db, { invoices: 50_000, sellers: 20, now: NOW });
    await enrichSearchColumns(db);
    service = invoiceReader(db);
    invoiceIndexes = (await db.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'invoices'`)).map((r: { indexname: string }) => r.indexname);
    seller = { id: seed.sellers[5].id, ban: seed.sellers[5].ban } as SellerRecord;
    oracle = await allOf(seller.id);
  });
  afterAll(() => test?.drop());

  const allOf = async (sellerId: string): Promise<OracleRow[]> =>
    (
      (await db.query(
        `SELECT id, invoice_number, billing_no, buyer_ban, buyer_name, period, status, issued_at FROM invoices WHERE seller_id = $1`,
        [sellerId],
      )) as OracleRow[]
    ).sort(newestFirst);

  const expectIndexesOnly = async (filter: InvoiceSearch, of: SellerRecord = seller) => {
    const paths = accessPaths(await planJson(db, await serviceQuery((s) => s.search(of, filter))), 'invoices', invoiceIndexes);
    expect(paths).not.toContain('Seq Scan');
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toMatch(new RegExp(`^(Index Scan|Index Only Scan|Bitmap Index Scan) using (${invoiceIndexes.join('|')})$`));
  };

  /**
   * Walks every page of a search through the cursor and checks each against the oracle: page n holds exactly the
   * oracle's rows n·limit … n·limit + limit − 1, and the cursor is null exactly after the last page.
   */
  const expectPagesMatch = async (filter: Omit<InvoiceSearch, 'cursor'>, expected: OracleRow[], of: SellerRecord = seller) => {
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      const result = await service.search(of, { ...filter, cursor });
      expect(result.invoices.length).toBeLessThanOrEqual(filter.limit);
      expect(idsOf(result.invoices)).toEqual(idsOf(expected.slice(page * filter.limit, (page + 1) * filter.limit)));
      const more = expected.length > (page + 1) * filter.limit;
      expect(result.nextCursor !== null).toBe(more);
      if (!more) return page + 1;
      cursor = result.nextCursor!;
    }
  };

  it('seeds 50,000 invoices with buyer BANs on about 30 % and a buyer name on every one', async () => {
    const [stats] = await db.query(
      `SELECT count(*)::int AS total, count(buyer_ban)::int AS with_ban, count(buyer_name)::int AS with_name,
              count(DISTINCT buyer_name)::int AS names, count(*) FILTER (WHERE issued_at <> date_trunc('milliseconds', issued_at))::int AS sub_ms
         FROM invoices`,
    );
    expect(stats.total).toBe(50_000);
    expect(stats.with_ban / stats.total).toBeGreaterThan(0.27);
    expect(stats.with_ban / stats.total).toBeLessThan(0.33);
    expect(stats.with_name).toBe(50_000);
    expect(stats.names).toBeGreaterThan(30);
    expect(stats.sub_ms).toBe(0);
    expect(oracle.length).toBe(2_500);
  });

  it('by number (case-insensitive): exactly that invoice, through an index', async () => {
    const target = oracle[100];
    const filter = { number: target.invoice_number.toLowerCase(), limit: 50 };
    await expectIndexesOnly(filter);
    await expectPagesMatch(filter, [target]);
  });

  it('by billingNo: exactly that invoice, through an index', async () => {
    const target = oracle[1_234];
    const filter = { billingNo: target.billing_no, limit: 50 };
    await expectIndexesOnly(filter);
    await expectPagesMatch(filter, oracle.filter((r) => r.billing_no === target.billing_no));
  });

  it('by buyer BAN: every invoice of that buyer, newest first, through an index', async () => {
    const counts = new Map<string, number>();
    for (const r of oracle) if (r.buyer_ban) counts.set(r.buyer_ban, (counts.get(r.buyer_ban) ?? 0) + 1);
    const [buyerBan] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    const expected = oracle.filter((r) => r.buyer_ban === buyerBan);
    expect(expected.length).toBeGreaterThan(3);
    const filter = { buyerBan, limit: 3 };
    await expectIndexesOnly(filter);
    await expectIndexesOnly({ ...filter, cursor: (await service.search(seller, filter)).nextCursor! });
    expect(await expectPagesMatch(filter, expected)).toBeGreaterThan(1);
  });

  it('by buyer name fragment (3 characters): every matching invoice, newest first, page by page, through indexes', async () => {
    // 聯發科 is inside one company name (about 2 % of the invoices); 陳怡君 is one whole personal name.
    expect(BUYER_COMPANIES).toContain('聯發科技股份有限公司');
    for (const fragment of ['聯發科', '陳怡君']) {
      const expected = oracle.filter((r) => r.buyer_name?.toLowerCase().includes(fragment.toLowerCase()));
      expect(expected.length).toBeGreaterThan(20);
      const filter = { buyerName: fragment, limit: 20 };
      await expectIndexesOnly(filter);
      await expectIndexesOnly({ ...filter, cursor: (await service.search(seller, filter)).nextCursor! });
      expect(await expectPagesMatch(filter, expected)).toBeGreaterThan(1);
    }
    // A fragment in no name, and one spanning the % and _ the service must escape.
    await expectIndexesOnly({ buyerName: '不存在', limit: 20 });
    await expectPagesMatch({ buyerName: '不存在', limit: 20 }, []);
    await expectPagesMatch({ buyerName: '股份_限', limit: 20 }, []);
    await expectPagesMatch({ buyerName: '股份%公司', limit: 20 }, []);
  });

  it('by period + status: the not-yet-accepted invoices of the latest period, through an index', async () => {
    const period = oracle.map((r) => r.period).sort().pop()!;
    const expected = oracle.filter((r) => r.period === period && OPEN_STATUSES.includes(r.status));
    expect(expected.length).toBeGreaterThan(10);
    const filter = { period, status: OPEN_STATUSES, limit: 10 };
    await expectIndexesOnly(filter);
    await expectPagesMatch(filter, expected);
  });

  it('by date range: from inclusive, to exclusive, newest first, through an index', async () => {
    // Bounds taken from invoices' own issue times, so both edges are exercised on real rows.
    const to = oracle[300].issued_at;
    const from = oracle[800].issued_at;
    const expected = oracle.filter((r) => r.issued_at.getTime() >= from.getTime() && r.issued_at.getTime() < to.getTime());
    expect(expected.some((r) => r.issued_at.getTime() === from.getTime())).toBe(true);
    expect(expected.length).toBeGreaterThan(450);
    const filter = { from, to, limit: 50 };
    await expectIndexesOnly(filter);
    await expectIndexesOnly({ from: new Date(NOW.getTime() - 14 * DAY_MS), to: new Date(NOW.getTime() - 7 * DAY_MS), limit: 50 });
    await expectPagesMatch(filter, expected);
  });

  it('newest first: page 1, then page 2 through the cursor, continue exactly where the previous page ended', async () => {
    await expectIndexesOnly({ limit: 50 });
    const page1 = await service.search(seller, { limit: 50 });
    expect(page1.nextCursor).not.toBeNull();
    await expectIndexesOnly({ limit: 50, cursor: page1.nextCursor! });
    const page2 = await service.search(seller, { limit: 50, cursor: page1.nextCursor! });
    expect(idsOf(page1.invoices)).toEqual(idsOf(oracle.slice(0, 50)));
    expect(idsOf(page2.invoices)).toEqual(idsOf(oracle.slice(50, 100)));
    expect(new Set([...idsOf(page1.invoices), ...idsOf(page2.invoices)]).size).toBe(100);
    // Other sellers' invoices never leak in.
    expect([...page1.invoices, ...page2.invoices].every((r) => r.sellerId === seller.id)).toBe(true);
  });

  it('oldest first: the same index read backwards, no sort above it, pages through the cursor', async () => {
    for (const order of ['newest', 'oldest'] as const) {
      const plan = await planJson(db, await serviceQuery((s) => s.search(seller, { order, limit: 50 })));
      expect(planNodes(plan).map((n) => n['Node Type'])).not.toEqual(expect.arrayContaining([expect.stringMatching(/Sort/)]));
      await expectIndexesOnly({ order, limit: 50 });
    }
    const oldest = [...oracle].reverse();
    const page1 = await service.search(seller, { order: 'oldest', limit: 50 });
    const page2 = await service.search(seller, { order: 'oldest', limit: 50, cursor: page1.nextCursor! });
    await expectIndexesOnly({ order: 'oldest', limit: 50, cursor: page1.nextCursor! });
    expect([...idsOf(page1.invoices), ...idsOf(page2.invoices)]).toEqual(idsOf(oldest.slice(0, 100)));
  });

  it('by channel and by a live allowance: the right invoices, through indexes', async () => {
    const [{ code }] = await db.query(`SELECT code FROM channels WHERE seller_id = $1 LIMIT 1`, [seller.id]);
    const ofChannel = new Set(
      idsOf(await db.query(`SELECT i.id FROM invoices i JOIN channels c ON c.id = i.channel_id WHERE i.seller_id = $1 AND c.code = $2`, [seller.id, code])),
    );
    // The seed issues some of a seller's invoices without a channel (through its pool).
    expect(ofChannel.size).toBeGreaterThan(100);
    expect(ofChannel.size).toBeLessThan(oracle.length);
    await expectIndexesOnly({ channels: [code], limit: 50 });
    expect(idsOf((await service.search(seller, { channels: [code], limit: 50 })).invoices)).toEqual(idsOf(oracle.filter((r) => ofChannel.has(r.id)).slice(0, 50)));
    expect((await service.search(seller, { channels: ['no-such'], limit: 50 })).invoices).toEqual([]);
    // Live allowances on every 100th invoice of the seller, a voided one beside.
    const allowed = oracle.filter((_, i) => i % 100 === 7);
    await db.query(
      `INSERT INTO allowances (seller_id, invoice_id, allowance_number, request_key, allowance_date, items, taxable_amount, zero_tax_amount, free_tax_amount, tax_amount, status, voided_at)
       SELECT $1, id, 'AL' || lpad(ord::text, 14, '0'), 'k' || ord, now(), '[]', 10, 0, 0, 1, CASE WHEN ord = 0 THEN 'voided' ELSE 'live' END, CASE WHEN ord = 0 THEN now() END
         FROM unnest($2::uuid[]) WITH ORDINALITY AS a(id, ord)`,
      [seller.id, [oracle[3].id, ...idsOf(allowed)]],
    );
    await db.query(`UPDATE allowances SET status = 'voided', voided_at = now() WHERE invoice_id = $1`, [oracle[3].id]);
    await db.query('ANALYZE allowances');
    await expectIndexesOnly({ status: ['allowance'], limit: 10 });
    await expectPagesMatch({ status: ['allowance'], limit: 10 }, allowed);
    const rejectedOrAllowed = oracle.filter((r) => r.status === 'rejected' || allowed.includes(r));
    await expectIndexesOnly({ status: ['rejected', 'allowance'], limit: 20 });
    await expectPagesMatch({ status: ['rejected', 'allowance'], limit: 20 }, rejectedOrAllowed);
  });

  it('across sellers: one page from each seller\'s own index scan, merged by issue time, newest and oldest first', async () => {
    const sellers = seed.sellers.slice(0, 5).map((s) => ({ id: s.id, ban: s.ban }) as SellerRecord);
    const everyone = (await Promise.all(sellers.map((s) => allOf(s.id)))).flat().sort(newestFirst);
    const paths = accessPaths(await planJson(db, await serviceQuery((s) => s.list(sellers, { limit: 50 }))), 'invoices', invoiceIndexes);
    expect(paths).not.toContain('Seq Scan');
    expect(paths).toContain('Index Scan using invoices_seller_issued');
    // One seller's page is its index scan alone, no sort above it.
    const single = await planJson(db, await serviceQuery((s) => s.list([seller], { limit: 50, order: 'oldest' })));
    expect(accessPaths(single, 'invoices', invoiceIndexes)).toContain('Index Scan using invoices_seller_issued');
    expect(planNodes(single).map((n) => n['Node Type'])).not.toEqual(expect.arrayContaining([expect.stringMatching(/Sort/)]));
    expect(idsOf((await service.list([seller], { limit: 50, order: 'oldest' })).invoices)).toEqual(idsOf([...oracle].reverse().slice(0, 50)));
    const page1 = await service.list(sellers, { limit: 50 });
    const page2 = await service.list(sellers, { limit: 50, cursor: page1.nextCursor! });
    expect([...idsOf(page1.invoices), ...idsOf(page2.invoices)]).toEqual(idsOf(everyone.slice(0, 100)));
    const oldest = await service.list(sellers, { limit: 30, order: 'oldest' });
    expect(idsOf(oldest.invoices)).toEqual(idsOf([...everyone].reverse().slice(0, 30)));
    // The export reads every match once, merged in the same order.
    const target = everyone[4_000];
    const exported: string[] = [];
    for await (const row of service.all(sellers, { to: new Date(target.issued_at.getTime() + 1), order: 'newest' })) exported.push(row.id);
    expect(exported).toEqual(idsOf(everyone.filter((r) => r.issued_at.getTime() <= target.issued_at.getTime())));
    expect(await service.count(sellers, { to: new Date(target.issued_at.getTime() + 1) })).toBe(exported.length);
  });

  it('a page boundary between two invoices issued in the same millisecond splits them by id, losing neither', async () => {
    // The first pair of invoices of any seller that share issued_at; `to` just after it puts the pair at the top.
    let tie: { of: SellerRecord; rows: OracleRow[]; at: Date } | undefined;
    for (const s of seed.sellers) {
      const rows = s.id === seller.id ? oracle : await allOf(s.id);
      const i = rows.findIndex((r, k) => k > 0 && r.issued_at.getTime() === rows[k - 1].issued_at.getTime());
      if (i > 0) {
        tie = { of: { id: s.id, ban: s.ban } as SellerRecord, rows, at: rows[i].issued_at };
        break;
      }
    }
    expect(tie).toBeDefined();
    const { of, rows, at } = tie!;
    const to = new Date(at.getTime() + 1);
    const expected = rows.filter((r) => r.issued_at.getTime() < to.getTime());
    expect(expected[0].issued_at.getTime()).toBe(at.getTime());
    expect(expected[1].issued_at.getTime()).toBe(at.getTime());
    await expectIndexesOnly({ to, limit: 1, cursor: (await service.search(of, { to, limit: 1 })).nextCursor! }, of);
    // Only the first few pages: the point is the boundary inside the tie.
    let cursor: string | undefined;
    for (let page = 0; page < 4; page++) {
      const result = await service.search(of, { to, limit: 1, cursor });
      expect(idsOf(result.invoices)).toEqual([expected[page].id]);
      cursor = result.nextCursor!;
    }
  });
});
