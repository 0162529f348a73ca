import { DataSource } from 'typeorm';
import { BOOKLET_SIZE, formatPeriodRange, periodOf } from '../../domain';

export interface StockRow {
  sellerBan: string;
  sellerName: string;
  track: string;
  invoiceType: string;
  /** The channel's code; `null` with `thirdParty` null is the seller's unassigned pool. */
  channel: string | null;
  thirdParty: string | null;
  booklets: number;
  total: number;
  used: number;
  left: number;
}

export interface ChannelStock {
  sellerBan: string;
  channel: string | null;
  /** The channel's own numbers plus the seller's pool it falls back on (as the allocator does). */
  left: number;
  low: boolean;
}

export interface NumberStockReport {
  period: string;
  periodRange: string;
  threshold: number;
  rows: StockRow[];
  channels: ChannelStock[];
}

/** Number usage per track and channel for the period of an instant, from `booklets` (the numbers area's table). */
export class NumberStockRepository {
  constructor(private readonly db: DataSource) {}

  async stock(at: Date, threshold: number): Promise<NumberStockReport> {
    const period = periodOf(at);
    const rows: StockRow[] = await this.db.query(
      `SELECT s.ban AS "sellerBan", s.name AS "sellerName", b.track, b.invoice_type AS "invoiceType", c.code AS channel,
              b.third_party AS "thirdParty", count(*)::int AS booklets, (count(*) * $2)::int AS total,
              sum(b.next_seq)::int AS used, sum($2 - b.next_seq)::int AS left
         FROM booklets b JOIN sellers s ON s.id = b.seller_id LEFT JOIN channels c ON c.id = b.channel_id
        WHERE b.period = $1
        GROUP BY s.ban, s.name, b.track, b.invoice_type, c.code, b.third_party
        ORDER BY s.ban, b.track, c.code NULLS LAST, b.third_party NULLS FIRST`,
      [period.code, BOOKLET_SIZE],
    );
    return { period: period.code, periodRange: formatPeriodRange(period), threshold, rows, channels: channelStock(rows, threshold) };
  }
}

function channelStock(rows: StockRow[], threshold: number): ChannelStock[] {
  const pool = new Map<string, number>();
  const own = new Map<string, { sellerBan: string; channel: string | null; left: number }>();
  for (const row of rows) {
    if (row.thirdParty) continue;
    if (row.channel === null) pool.set(row.sellerBan, (pool.get(row.sellerBan) ?? 0) + row.left);
    const key = `${row.sellerBan}\u0000${row.channel ?? ''}`;
    const entry = own.get(key) ?? { sellerBan: row.sellerBan, channel: row.channel, left: 0 };
    entry.left += row.left;
    own.set(key, entry);
  }
  return [...own.values()].map((entry) => {
    const left = entry.channel === null ? entry.left : entry.left + (pool.get(entry.sellerBan) ?? 0);
    return { sellerBan: entry.sellerBan, channel: entry.channel, left, low: left < threshold };
  });
}
