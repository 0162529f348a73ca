import { DataSource, EntityManager } from 'typeorm';
import { BOOKLET_SIZE, TrackRange } from '../../domain';
import { TrackRangeRecord } from './number.records';

const COLUMNS = `id, seller_id AS "sellerId", period, invoice_type AS "invoiceType", track, start_no AS "startNo", end_no AS "endNo",
  source_file AS "sourceFile", imported_at AS "importedAt"`;

export interface TrackClash {
  row: number;
  period: string;
  track: string;
  startNo: number;
  endNo: number;
}

/** The `track_ranges` table; its exclusion constraint refuses two ranges sharing a number. */
export class TrackRangesRepository {
  constructor(private readonly db: DataSource) {}

  /** The ranges already imported that share a number with one of `ranges`, by the file row that clashes. */
  async clashes(manager: EntityManager, sellerId: string, ranges: TrackRange[]): Promise<TrackClash[]> {
    return manager.query(
      `SELECT f.row, t.period, t.track, t.start_no AS "startNo", t.end_no AS "endNo"
         FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::int[]) AS f(row, period, track, start_no, end_no)
         JOIN track_ranges t ON t.seller_id = $1 AND t.period = f.period AND t.track = f.track
          AND int4range(t.start_no, t.end_no, '[]') && int4range(f.start_no, f.end_no, '[]')
        ORDER BY f.row`,
      [sellerId, ranges.map((r) => r.row), ranges.map((r) => r.period.code), ranges.map((r) => r.track), ranges.map((r) => r.start), ranges.map((r) => r.end)],
    );
  }

  /** The range and its booklets of 50, in one statement each; returns how many booklets it made. */
  async insertWithBooklets(manager: EntityManager, sellerId: string, range: TrackRange, sourceFile: string | null): Promise<number> {
    const [{ id }] = await manager.query(
      `INSERT INTO track_ranges (seller_id, period, invoice_type, track, start_no, end_no, source_file) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [sellerId, range.period.code, range.invoiceType, range.track, range.start, range.end, sourceFile],
    );
    const inserted: unknown[] = await manager.query(
      `INSERT INTO booklets (track_range_id, seller_id, period, invoice_type, track, start_no)
       SELECT $1, $2, $3, $4, $5, start_no FROM generate_series($6::int, $7::int, ${BOOKLET_SIZE}) AS start_no
       RETURNING id`,
      [id, sellerId, range.period.code, range.invoiceType, range.track, range.start, range.end],
    );
    return inserted.length;
  }

  async list(sellerId: string, period?: string): Promise<TrackRangeRecord[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM track_ranges WHERE seller_id = $1 ${period ? 'AND period = $2' : ''} ORDER BY period, track, start_no`,
      period ? [sellerId, period] : [sellerId],
    );
  }
}
