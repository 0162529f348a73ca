import { isValidBan } from './ban';
import { isWholeBooklets, rangesOverlap } from './booklets';
import { ErrorDetail } from './domain-error';
import { Period, tryParsePeriod } from './period';

/** The columns of the MOF number file (invnoapply*.csv), in file order. */
export const TRACK_FILE_COLUMNS = [
  '營業人統編',
  '發票類別代號',
  '發票類別',
  '發票期別',
  '發票字軌名稱',
  '發票起號',
  '發票迄號',
] as const;

export type InvoiceType = '07' | '08';
export const INVOICE_TYPE_CODES: readonly InvoiceType[] = ['07', '08'];
/** An invoice that names no type is a general one (07, 一般稅額計算). */
export const DEFAULT_INVOICE_TYPE: InvoiceType = '07';
export const invoiceTypeOf = (input: { invoiceType?: InvoiceType }): InvoiceType => input.invoiceType ?? DEFAULT_INVOICE_TYPE;

export interface TrackRange {
  row: number;
  period: Period;
  invoiceType: InvoiceType;
  track: string;
  start: number;
  end: number;
}

const INVOICE_TYPES: Record<string, InvoiceType> = { '7': '07', '07': '07', '8': '08', '08': '08' };

function columnName(index: number): string {
  return `${String.fromCharCode(65 + index)} ${TRACK_FILE_COLUMNS[index]}`;
}

export function isTrackFileHeader(cells: string[]): boolean {
  return cells.length > 0 && cells[0].trim() === TRACK_FILE_COLUMNS[0];
}

/**
 * Validates one data row of the MOF number file; `row` is the 1-based line in the file, so staff can find it.
 * Returns every problem of the row, not only the first.
 */
export function validateTrackRow(
  cells: string[],
  row: number,
  sellerBan: string,
): { range?: TrackRange; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const fail = (index: number | undefined, code: string, message: string) =>
    errors.push({ row, ...(index === undefined ? {} : { column: columnName(index) }), code, message });

  if (cells.length !== TRACK_FILE_COLUMNS.length) {
    fail(
      undefined,
      'TRACK_FILE.COLUMN_COUNT',
      `expected ${TRACK_FILE_COLUMNS.length} columns (${TRACK_FILE_COLUMNS.join(',')}), found ${cells.length}`,
    );
    return { errors };
  }
  const [ban, typeCode, , periodText, trackText, startText, endText] = cells.map((c) => c.trim());

  if (!/^\d{8}$/.test(ban) || !isValidBan(ban)) {
    fail(0, 'TRACK_FILE.BAN_INVALID', `'${ban}' is not a valid 8-digit BAN (checksum)`);
  } else if (ban !== sellerBan) {
    fail(0, 'TRACK_FILE.BAN_NOT_SELLER', `BAN ${ban} is not this seller's (${sellerBan})`);
  }
  const invoiceType = INVOICE_TYPES[typeCode];
  if (!invoiceType) fail(1, 'TRACK_FILE.TYPE_INVALID', `invoice type code '${typeCode}' must be 07 or 08`);
  const period = tryParsePeriod(periodText);
  if (!period) fail(3, 'TRACK_FILE.PERIOD_UNREADABLE', `period '${periodText}' is unreadable (e.g. 115/01 ~ 115/02)`);
  if (!/^[A-Z]{2}$/.test(trackText)) fail(4, 'TRACK_FILE.TRACK_INVALID', `track '${trackText}' must be 2 uppercase letters`);
  const startOk = /^\d{8}$/.test(startText);
  const endOk = /^\d{8}$/.test(endText);
  if (!startOk) fail(5, 'TRACK_FILE.NUMBER_INVALID', `start number '${startText}' must be 8 digits`);
  if (!endOk) fail(6, 'TRACK_FILE.NUMBER_INVALID', `end number '${endText}' must be 8 digits`);
  const range = { start: Number(startText), end: Number(endText) };
  if (startOk && endOk && !isWholeBooklets(range)) {
    fail(
      6,
      'TRACK_FILE.NOT_WHOLE_BOOKLETS',
      `range ${startText}–${endText} is not whole booklets of 50 (start ends in 00/50, end in 49/99, end after start)`,
    );
  }
  if (errors.length > 0 || !invoiceType || !period) return { errors };
  return { range: { row, period, invoiceType, track: trackText, ...range }, errors };
}

/** Ranges of one file that overlap each other: reported on the later row, naming the earlier one. */
export function findOverlapsWithinFile(ranges: TrackRange[]): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  ranges.forEach((range, i) => {
    const earlier = ranges
      .slice(0, i)
      .find((other) => other.period.code === range.period.code && other.track === range.track && rangesOverlap(other, range));
    if (earlier) {
      errors.push({
        row: range.row,
        column: columnName(5),
        code: 'TRACK_FILE.OVERLAP_IN_FILE',
        message: `range overlaps row ${earlier.row} of the same file`,
      });
    }
  });
  return errors;
}
