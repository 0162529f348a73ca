import { parse } from 'csv-parse/sync';
import {
  DomainError,
  ErrorDetail,
  TrackRange,
  findOverlapsWithinFile,
  isTrackFileHeader,
  validateTrackRow,
} from '../../domain';
import { decodeUtf8OrBig5 } from './text-encoding';

/**
 * Reads a MOF number file (invnoapply*.csv) for one seller. Either every row is valid and all ranges are returned,
 * or a DomainError lists every problem by row and column: a file is never imported in part.
 */
export function readTrackCsv(content: Buffer, sellerBan: string): TrackRange[] {
  const text = decodeUtf8OrBig5(content);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new DomainError('invalid', 'TRACK_FILE.NOT_CSV', `the file is not valid CSV: ${(error as Error).message}`, [
      { ...(line ? { row: line } : {}), code: 'TRACK_FILE.NOT_CSV', message: (error as Error).message },
    ]);
  }
  const dataRows = records.filter(({ record }) => !record.every((cell) => cell.trim() === ''));
  if (dataRows.length > 0 && isTrackFileHeader(dataRows[0].record)) dataRows.shift();
  if (dataRows.length === 0) {
    throw new DomainError('invalid', 'TRACK_FILE.EMPTY', 'the file has no number ranges', [
      { code: 'TRACK_FILE.EMPTY', message: 'the file has no data rows' },
    ]);
  }
  const errors: ErrorDetail[] = [];
  const ranges: TrackRange[] = [];
  for (const { record, info } of dataRows) {
    const result = validateTrackRow(record, info.lines, sellerBan);
    errors.push(...result.errors);
    if (result.range) ranges.push(result.range);
  }
  errors.push(...findOverlapsWithinFile(ranges));
  if (errors.length > 0) {
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw new DomainError(
      'invalid',
      'TRACK_FILE.INVALID',
      `the number file has ${errors.length} error(s); nothing was imported`,
      errors,
    );
  }
  return ranges;
}
