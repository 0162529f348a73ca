import { DataSource, QueryFailedError } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { BOOKLET_SIZE, DomainError, TrackRange, formatInvoiceNumber, formatPeriodRange, parsePeriod, tryParsePeriod } from '../../domain';
import { readTrackCsv } from '../../adapters/csv/track-csv.reader';
import { ChannelRecord, SellerRecord, SellersService } from '../sellers';
import { BookletsRepository } from './booklets.repository';
import { BookletRecord } from './number.records';
import { NumberStockReport, NumberStockRepository } from './number-stock.repository';
import { TrackRangesRepository } from './track-ranges.repository';

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
  private readonly ranges: TrackRangesRepository;
  private readonly booklets: BookletsRepository;
  private readonly stockRepository: NumberStockRepository;

  constructor(
    private readonly db: DataSource,
    private readonly sellers: SellersService,
  ) {
    this.ranges = new TrackRangesRepository(db);
    this.booklets = new BookletsRepository(db);
    this.stockRepository = new NumberStockRepository(db);
  }

  /** Every seller's number usage per track and channel for the period of `at`, with channels below `threshold`. */
  async stock(at: Date, threshold: number): Promise<NumberStockReport> {
    return this.stockRepository.stock(at, threshold);
  }

  /** Imports a MOF number file whole, or not at all. */
  async importFile(seller: SellerRecord, content: Buffer, fileName: string | null): Promise<{ ranges: number; booklets: number }> {
    const ranges = readTrackCsv(content, seller.ban);
    return this.db.transaction(async (manager) => {
      await this.refuseOverlaps(manager, seller, ranges);
      let booklets = 0;
      for (const range of ranges) booklets += await this.insertRange(manager, seller, range, fileName);
      return { ranges: ranges.length, booklets };
    });
  }

  /** Names the row and the range already imported; the exclusion constraint is the guarantee behind it. */
  private async refuseOverlaps(manager: Transaction, seller: SellerRecord, ranges: TrackRange[]): Promise<void> {
    const clashes = await this.ranges.clashes(manager, seller.id, ranges);
    if (clashes.length > 0) {
      throw new DomainError(
        'conflict',
        'TRACK.OVERLAP',
        `${clashes.length} range(s) overlap numbers already imported; nothing was imported`,
        clashes.map((c) => ({
          row: c.row,
          column: 'F 發票起號',
          code: 'TRACK.OVERLAP',
          message: `overlaps ${formatInvoiceNumber(c.track, c.startNo)}–${formatInvoiceNumber(c.track, c.endNo)} of period ${c.period}, already imported`,
        })),
      );
    }
  }

  private async insertRange(manager: Transaction, seller: SellerRecord, range: TrackRange, fileName: string | null) {
    try {
      return await this.ranges.insertWithBooklets(manager, seller.id, range, fileName);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === EXCLUSION_VIOLATION) {
        throw new DomainError('conflict', 'TRACK.OVERLAP', `row ${range.row}: the range overlaps numbers already imported`, [
          { row: range.row, column: 'F 發票起號', code: 'TRACK.OVERLAP', message: 'overlaps a range already imported' },
        ]);
      }
      throw error;
    }
  }

  async list(seller: SellerRecord, periodText?: string): Promise<TrackRangeView[]> {
    const period = periodText === undefined ? undefined : parsePeriod(periodText, 'period').code;
    const [ranges, booklets] = await Promise.all([this.ranges.list(seller.id, period), this.booklets.list(seller.id, period)]);
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

  async assign(seller: SellerRecord, bookletId: string, assignment: BookletAssignment): Promise<BookletView> {
    return this.db.transaction(async (manager) => {
      const booklet = await this.lockBooklet(manager, seller, bookletId);
      let channel: ChannelRecord | undefined;
      if ('channelCode' in assignment) {
        channel = await this.sellers.findChannel(seller.id, assignment.channelCode);
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
      await this.booklets.saveAssignment(manager, booklet);
      return bookletView({ ...booklet, channelCode: channel?.code ?? null });
    });
  }

  /** For a third-party booklet: the first number they did not use; from it to the booklet end is blank. */
  async setBlankStart(seller: SellerRecord, bookletId: string, blankStart: string): Promise<BookletView> {
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
      await this.booklets.saveAssignment(manager, booklet);
      return bookletView({ ...booklet, channelCode: null });
    });
  }

  private async lockBooklet(manager: Transaction, seller: SellerRecord, bookletId: string): Promise<BookletRecord> {
    const booklet = /^[0-9a-f-]{36}$/i.test(bookletId) ? await this.booklets.lock(manager, seller.id, bookletId) : undefined;
    if (!booklet) throw new DomainError('not_found', 'BOOKLET.NOT_FOUND', `seller ${seller.ban} has no booklet ${bookletId}`);
    return booklet;
  }
}

function bookletView(booklet: Pick<BookletRecord, 'id' | 'track' | 'startNo' | 'thirdParty' | 'blankStart' | 'nextSeq'> & { channelCode: string | null }): BookletView {
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
