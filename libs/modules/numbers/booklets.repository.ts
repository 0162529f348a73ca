import { DataSource, EntityManager } from 'typeorm';
import { BookletRecord } from './number.records';

const COLUMNS = `b.id, b.track_range_id AS "trackRangeId", b.seller_id AS "sellerId", b.track, b.start_no AS "startNo",
  b.channel_id AS "channelId", b.third_party AS "thirdParty", b.blank_start AS "blankStart", b.next_seq AS "nextSeq"`;

/** The `booklets` table as staff change it (assignment, blank start); numbers are taken by `allocate_invoice_numbers`. */
export class BookletsRepository {
  constructor(private readonly db: DataSource) {}

  async list(sellerId: string, period?: string): Promise<(BookletRecord & { channelCode: string | null })[]> {
    return this.db.query(
      `SELECT ${COLUMNS}, c.code AS "channelCode"
         FROM booklets b LEFT JOIN channels c ON c.id = b.channel_id
        WHERE b.seller_id = $1 ${period ? 'AND b.period = $2' : ''}
        ORDER BY b.track, b.start_no`,
      period ? [sellerId, period] : [sellerId],
    );
  }

  /** The booklet, row-locked until the transaction ends. */
  async lock(manager: EntityManager, sellerId: string, bookletId: string): Promise<BookletRecord | undefined> {
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM booklets b WHERE b.id = $1 AND b.seller_id = $2 FOR UPDATE`, [bookletId, sellerId]);
    return row;
  }

  async saveAssignment(manager: EntityManager, booklet: Pick<BookletRecord, 'id' | 'channelId' | 'thirdParty' | 'blankStart'>): Promise<void> {
    await manager.query(`UPDATE booklets SET channel_id = $2, third_party = $3, blank_start = $4 WHERE id = $1`, [booklet.id, booklet.channelId, booklet.thirdParty, booklet.blankStart]);
  }
}
