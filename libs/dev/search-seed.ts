import { DataSource } from 'typeorm';
import { isValidBan } from '../domain/ban';

// Search columns. seedInvoices leaves buyer_ban and buyer_name NULL on every invoice (all B2C, no buyer name), so
// the buyer filters would search an empty column. enrichSearchColumns fills them afterwards, deterministically.

/** Buyers with a BAN are companies; the n-th BAN of buyerBans() always carries BUYER_COMPANIES[n % length]. */
export const BUYER_COMPANIES = [
  '台灣積體電路製造股份有限公司',
  '鴻海精密工業股份有限公司',
  '聯發科技股份有限公司',
  '統一超商股份有限公司',
  '中華電信股份有限公司',
  '長榮海運股份有限公司',
  '大同股份有限公司',
  '光陽工業股份有限公司',
  '全家便利商店股份有限公司',
  '台灣大哥大股份有限公司',
  '富邦媒體科技股份有限公司',
  '誠品生活股份有限公司',
  '王品餐飲股份有限公司',
  '美食達人股份有限公司',
  '華碩電腦股份有限公司',
  '宏碁股份有限公司',
] as const;

/** Buyers without a BAN (B2C with a name on the invoice): common Taiwanese personal names. */
export const BUYER_PERSONS = [
  '陳怡君', '林志明', '黃淑芬', '張家豪', '李美玲', '王小明', '吳建宏', '劉雅婷', '蔡宗翰', '楊佩珊', '許志偉', '鄭雅雯',
  '謝明哲', '洪淑惠', '郭俊傑', '曾美惠', '邱文華', '廖家瑜', '賴冠宇', '周佳穎', '徐志豪', '蘇怡如', '葉俊宏', '莊雅琪',
] as const;

/** Share of invoices (in %) that get a buyer BAN (and a company name). */
export const BAN_PERCENT = 30;

/** `count` valid BANs from 20000000 up: disjoint from benchBans() (the sellers, from 10000000 up). */
export function buyerBans(count: number): string[] {
  const bans: string[] = [];
  for (let n = 20_000_000; bans.length < count; n++) {
    if (isValidBan(String(n))) bans.push(String(n));
  }
  return bans;
}

export interface EnrichOptions {
  /** Size of the buyer BAN pool (default 200). */
  buyerBanCount?: number;
  /**
   * true: VACUUM FULL invoices after the update (rewrites the table and its indexes without the dead row versions
   * the update left behind, so the baseline's sequential scan reads what it would read in steady state), then
   * VACUUM (ANALYZE). false (default): VACUUM (ANALYZE) only.
   */
  compact?: boolean;
}

/**
 * Gives BAN_PERCENT % of the invoices a buyer BAN (from a pool of valid BANs) with that buyer's company name, and every
 * other invoice a personal buyer name; truncates issued_at to milliseconds, as every invoice the service issues has it
 * (issued_at comes from a JS Date; the seed computes microseconds). Which invoice gets what is decided by hashing its
 * seller-independent identity (invoice_number, billing_no), so the same seed options always give the same data.
 *
 * Synthetic simplification: the payload (and payload_hash) still says B2C with no buyer; search does not read it.
 */
export async function enrichSearchColumns(db: DataSource, options: EnrichOptions = {}): Promise<{ updateMs: number; vacuumMs: number }> {
  const bans = buyerBans(options.buyerBanCount ?? 200);
  const started = Date.now();
  await db.query(
    `UPDATE invoices SET
        issued_at = date_trunc('milliseconds', issued_at),
        buyer_ban = CASE WHEN abs(hashtextextended(invoice_number || billing_no, 11)) % 100 < $4
                         THEN ($1::text[])[1 + abs(hashtextextended(invoice_number || billing_no, 12)) % cardinality($1::text[])] END,
        buyer_name = CASE WHEN abs(hashtextextended(invoice_number || billing_no, 11)) % 100 < $4
                          THEN ($2::text[])[1 + (abs(hashtextextended(invoice_number || billing_no, 12)) % cardinality($1::text[])) % cardinality($2::text[])]
                          ELSE ($3::text[])[1 + abs(hashtextextended(invoice_number || billing_no, 13)) % cardinality($3::text[])] END`,
    [bans, BUYER_COMPANIES, BUYER_PERSONS, BAN_PERCENT],
  );
  const updateMs = Date.now() - started;
  const vacuumStarted = Date.now();
  if (options.compact) await db.query(`VACUUM FULL invoices`);
  await db.query(`VACUUM (ANALYZE) invoices`);
  return { updateMs, vacuumMs: Date.now() - vacuumStarted };
}
