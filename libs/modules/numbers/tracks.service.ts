import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { BOOKLET_SIZE, DomainError, TrackRange, formatInvoiceNumber, formatPeriodRange, parsePeriod, tryParsePeriod } from '../../domain';
import { readTrackCsv } from '../../adapters/csv/track-csv.reader';
import { BookletEntity, ChannelEntity, SellerEntity, TrackRangeEntity } from '../../infra/persistence/entities';
import { NumberStock, NumberStockRepository } from './number-stock.repository';

const EXCLUSION_VIOLATION = '23P01';

export interface BookletView {
  id: string;
  start: string;
  end: string;
  channel: string | null;
  thirdParty: string | null;
  blankStart: string | null;
  used: number;
  left: number;
  blank: number;
}

export interface TrackRangeView {
  id: string;
  period: string;
  periodRange: string;
  invoiceType: string;
  track: string;
  start: string;
  end: string;
  used: number;
  left: number;
  blank: number;
  booklets: BookletView[];
}

export type BookletAssignment = { channelCode: string } | { thirdParty: string } | { unassigned: true };

export class TracksService {
  constructor(private readonly db: DataSource) {}

  /** Every seller's number usage per track and channel for the period of `at`, with channels below `threshold`. */
  async stock(at: Date, threshold: number): Promise<NumberStock> {
    return new NumberStockRepository(this.db).stock(at, threshold);
  }

  /** Imports a MOF number file whole, or not at all. */
  async importFile(seller: SellerEntity, content: Buffer, fileName: string | null): Promise<{ ranges: number; booklets: number }> {
    const ranges = readTrackCsv(content, seller.ban);
    return this.db.transaction(async (manager) => {
      await this.refuseOverlaps(manager, seller, ranges);
      let booklets = 0;
      for (const range of ranges) {
        const saved = await this.insertRange(manager, seller, range, fileName);
        const inserted: unknown[] = await manager.query(
          `INSERT INTO booklets (track_range_id, seller_id, period, invoice_type, track, start_no)
           SELECT $1, $2, $3, $4, $5, start_no FROM generate_series($6::int, $7::int, ${BOOKLET_SIZE}) AS start_no
           RETURNING id`,
          [saved.id, seller.id, range.period.code, range.invoiceType, range.track, range.start, range.end],
        );
        booklets += inserted.length;
      }
      return { ranges: ranges.length, booklets };
    });
  }

  /** Names the row and the range already imported; the exclusion constraint is the guarantee behind it. */
  private async refuseOverlaps(manager: EntityManager, seller: SellerEntity, ranges: TrackRange[]): Promise<void> {
    const clashes: { row: number; period: string; track: string; start_no: number; end_no: number }[] = await manager.query(
      `SELECT f.row, t.period, t.track, t.start_no, t.end_no
         FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::int[]) AS f(row, period, track, start_no, end_no)
         JOIN track_ranges t ON t.seller_id = $1 AND t.period = f.period AND t.track = f.track
          AND int4range(t.start_no, t.end_no, '[]') && int4range(f.start_no, f.end_no, '[]')
        ORDER BY f.row`,
      [
        seller.id,
        ranges.map((r) => r.row),
        ranges.map((r) => r.period.code),
        ranges.map((r) => r.track),
        ranges.map((r) => r.start),
        ranges.map((r) => r.end),
      ],
    );
    if (clashes.length > 0) {
      throw new DomainError(
        'conflict',
        'TRACK.OVERLAP',
        `${clashes.length} range(s) overlap numbers already imported; nothing was imported`,
        clashes.map((c) => ({
          row: c.row,
          column: 'F 發票起號',
          code: 'TRACK.OVERLAP',
          message: `overlaps ${formatInvoiceNumber(c.track, c.start_no)}–${formatInvoiceNumber(c.track, c.end_no)} of period ${c.period}, already imported`,
        })),
      );
    }
  }

  private async insertRange(manager: EntityManager, seller: SellerEntity, range: TrackRange, fileName: string | null) {
    try {
      return await manager.getRepository(TrackRangeEntity).save({
        sellerId: seller.id,
        period: range.period.code,
        invoiceType: range.invoiceType,
        track: range.track,
        startNo: range.start,
        endNo: range.end,
        sourceFile: fileName,
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === EXCLUSION_VIOLATION) {
        throw new DomainError('conflict', 'TRACK.OVERLAP', `row ${range.row}: the range overlaps numbers already imported`, [
          { row: range.row, column: 'F 發票起號', code: 'TRACK.OVERLAP', message: 'overlaps a range already imported' },
        ]);
      }
      throw error;
    }
  }

  async list(seller: SellerEntity, periodText?: string): Promise<TrackRangeView[]> {
    const period = periodText === undefined ? undefined : parsePeriod(periodText, 'period').code;
    const ranges = await this.db.getRepository(TrackRangeEntity).find({
      where: { sellerId: seller.id, ...(period ? { period } : {}) },
      order: { period: 'ASC', track: 'ASC', startNo: 'ASC' },
    });
    const booklets: (BookletEntity & { channelCode: string | null })[] = await this.db.query(
      `SELECT b.id, b.track_range_id AS "trackRangeId", b.track, b.start_no AS "startNo", b.third_party AS "thirdParty",
              b.blank_start AS "blankStart", b.next_seq AS "nextSeq", c.code AS "channelCode"
         FROM booklets b LEFT JOIN channels c ON c.id = b.channel_id
        WHERE b.seller_id = $1 ${period ? 'AND b.period = $2' : ''}
        ORDER BY b.track, b.start_no`,
      period ? [seller.id, period] : [seller.id],
    );
    return ranges.map((range) => {
      const views = booklets.filter((b) => b.trackRangeId === range.id).map(bookletView);
      const total = (key: 'used' | 'left' | 'blank') => views.reduce((sum, b) => sum + b[key], 0);
      return {
        id: range.id,
        period: range.period,
        periodRange: formatPeriodRange(tryParsePeriod(range.period)!),
        invoiceType: range.invoiceType,
        track: range.track,
        start: formatInvoiceNumber(range.track, range.startNo),
        end: formatInvoiceNumber(range.track, range.endNo),
        used: total('used'),
        left: total('left'),
        blank: total('blank'),
        booklets: views,
      };
    });
  }

  async assign(seller: SellerEntity, bookletId: string, assignment: BookletAssignment): Promise<BookletView> {
    return this.db.transaction(async (manager) => {
      const booklet = await this.lockBooklet(manager, seller, bookletId);
      let channel: ChannelEntity | null = null;
      if ('channelCode' in assignment) {
        channel = await manager.getRepository(ChannelEntity).findOneBy({ sellerId: seller.id, code: assignment.channelCode });
        if (!channel) {
          throw new DomainError('invalid', 'CHANNEL.NOT_FOUND', `seller ${seller.ban} has no channel '${assignment.channelCode}'`, [
            { field: 'channelCode', code: 'CHANNEL.NOT_FOUND', message: 'no such channel for this seller' },
          ]);
        }
      }
      const thirdParty = 'thirdParty' in assignment ? assignment.thirdParty.trim() : null;
      if (thirdParty !== null && booklet.nextSeq > 0) {
        throw new DomainError(
          'conflict',
          'BOOKLET.IN_USE',
          `booklet ${formatInvoiceNumber(booklet.track, booklet.startNo)} already has ${booklet.nextSeq} number(s) issued here; it cannot go to a third party`,
        );
      }
      booklet.channelId = channel?.id ?? null;
      booklet.thirdParty = thirdParty;
      if (thirdParty === null) booklet.blankStart = null;
      await manager.getRepository(BookletEntity).save(booklet);
      return bookletView({ ...booklet, channelCode: channel?.code ?? null });
    });
  }

  /** For a third-party booklet: the first number they did not use; from it to the booklet end is blank. */
  async setBlankStart(seller: SellerEntity, bookletId: string, blankStart: string): Promise<BookletView> {
    return this.db.transaction(async (manager) => {
      const booklet = await this.lockBooklet(manager, seller, bookletId);
      const first = formatInvoiceNumber(booklet.track, booklet.startNo);
      const last = formatInvoiceNumber(booklet.track, booklet.startNo + BOOKLET_SIZE - 1);
      if (!booklet.thirdParty) {
        throw new DomainError('conflict', 'BOOKLET.NOT_THIRD_PARTY', `booklet ${first}–${last} is not assigned to a third party; its blank numbers are computed from what was issued here`);
      }
      const match = /^(?:([A-Z]{2}))?(\d{8})$/.exec(blankStart.trim());
      const number = match ? Number(match[2]) : NaN;
      if (!match || (match[1] && match[1] !== booklet.track) || number < booklet.startNo || number > booklet.startNo + BOOKLET_SIZE - 1) {
        throw new DomainError('invalid', 'BOOKLET.BLANK_START_OUTSIDE', `blank start '${blankStart}' must lie inside the booklet ${first}–${last}`, [
          { field: 'blankStart', code: 'BOOKLET.BLANK_START_OUTSIDE', message: `must be between ${first} and ${last}` },
        ]);
      }
      booklet.blankStart = number;
      await manager.getRepository(BookletEntity).save(booklet);
      return bookletView({ ...booklet, channelCode: null });
    });
  }

  private async lockBooklet(manager: EntityManager, seller: SellerEntity, bookletId: string): Promise<BookletEntity> {
    const booklet = /^[0-9a-f-]{36}$/i.test(bookletId)
      ? await manager.getRepository(BookletEntity).findOne({ where: { id: bookletId, sellerId: seller.id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!booklet) throw new DomainError('not_found', 'BOOKLET.NOT_FOUND', `seller ${seller.ban} has no booklet ${bookletId}`);
    return booklet;
  }
}

function bookletView(booklet: Pick<BookletEntity, 'id' | 'track' | 'startNo' | 'thirdParty' | 'blankStart' | 'nextSeq'> & { channelCode: string | null }): BookletView {
  const end = booklet.startNo + BOOKLET_SIZE - 1;
  const counts = booklet.thirdParty
    ? booklet.blankStart === null
      ? { used: 0, left: BOOKLET_SIZE, blank: 0 }
      : { used: booklet.blankStart - booklet.startNo, left: 0, blank: end - booklet.blankStart + 1 }
    : { used: booklet.nextSeq, left: BOOKLET_SIZE - booklet.nextSeq, blank: 0 };
  return {
    id: booklet.id,
    start: formatInvoiceNumber(booklet.track, booklet.startNo),
    end: formatInvoiceNumber(booklet.track, end),
    channel: booklet.channelCode,
    thirdParty: booklet.thirdParty,
    blankStart: booklet.blankStart === null ? null : formatInvoiceNumber(booklet.track, booklet.blankStart),
    ...counts,
  };
}
