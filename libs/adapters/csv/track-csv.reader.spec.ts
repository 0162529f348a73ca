import * as iconv from 'iconv-lite';
import { DomainError } from '../../domain';
import { readTrackCsv } from './track-csv.reader';

const SELLER = '12345675';
const HEADER = '營業人統編,發票類別代號,發票類別,發票期別,發票字軌名稱,發票起號,發票迄號';
const ROW_KD = `${SELLER},07,一般稅額計算,115/01 ~ 115/02,KD,12340000,12340049`;
const ROW_KE = `${SELLER},7,一般稅額計算,115/01~115/02,KE,12340050,12340149`;

const utf8 = (...lines: string[]): Buffer => Buffer.from(lines.join('\n'), 'utf8');

function readError(content: Buffer): DomainError {
  try {
    readTrackCsv(content, SELLER);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected readTrackCsv to reject the file');
}

describe('readTrackCsv', () => {
  const expected = [
    { row: 2, track: 'KD', start: 12340000, end: 12340049, invoiceType: '07', period: { code: '11502' } },
    { row: 3, track: 'KE', start: 12340050, end: 12340149, invoiceType: '07', period: { code: '11502' } },
  ];

  test.each([
    ['UTF-8 with header', utf8(HEADER, ROW_KD, ROW_KE, '')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(HEADER, ROW_KD, ROW_KE)])],
    ['UTF-8 with CRLF line endings', Buffer.from(`${HEADER}\r\n${ROW_KD}\r\n${ROW_KE}\r\n`, 'utf8')],
    ['Big5 (the MOF download)', iconv.encode(`${HEADER}\r\n${ROW_KD}\r\n${ROW_KE}\r\n`, 'big5')],
  ])('reads %s', (_label, content) => {
    expect(readTrackCsv(content, SELLER)).toMatchObject(expected);
  });

  it('reads a file without header, numbering rows from 1', () => {
    expect(readTrackCsv(utf8(ROW_KD, ROW_KE), SELLER).map((r) => r.row)).toEqual([1, 2]);
  });

  it('ignores blank lines but keeps reporting physical line numbers', () => {
    const ranges = readTrackCsv(utf8('', HEADER, '', ROW_KD, '   ', ',,,,,,', ROW_KE, '', ''), SELLER);
    expect(ranges.map((r) => [r.row, r.track])).toEqual([
      [4, 'KD'],
      [7, 'KE'],
    ]);
  });

  it('names the physical line of an error in a Big5 CRLF file with blank lines', () => {
    const error = readError(iconv.encode(`${HEADER}\r\n\r\n${ROW_KD}\r\n${ROW_KE.replace(',KE,', ',K1,')}\r\n`, 'big5'));
    expect(error.details).toEqual([
      { row: 4, column: 'E 發票字軌名稱', code: 'TRACK_FILE.TRACK_INVALID', message: expect.any(String) },
    ]);
  });

  describe('bad encoding', () => {
    const BAD = Buffer.from([0xff, 0xfe, 0xfd]);
    const badLine3 = (encode: (text: string) => Buffer) =>
      Buffer.concat([encode(`${HEADER}\n${ROW_KD}\n${SELLER},07,`), BAD, encode(',115/01 ~ 115/02,KE,12340050,12340149\n')]);

    test.each([
      ['a Big5 file', badLine3((text) => iconv.encode(text, 'big5'))],
      ['a UTF-8 file', badLine3((text) => Buffer.from(text, 'utf8'))],
      ['a UTF-8 file with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), badLine3((text) => Buffer.from(text, 'utf8'))])],
    ])('in %s is rejected naming row 3', (_label, content) => {
      const error = readError(content);
      expect(error.code).toBe('FILE.ENCODING');
      expect(error.details).toEqual([{ row: 3, code: 'FILE.ENCODING', message: expect.any(String) }]);
    });
  });

  test.each([
    ['an empty file', Buffer.alloc(0)],
    ['a header-only file', utf8(HEADER)],
    ['a header and blank lines', utf8(HEADER, '', '  ', '')],
    ['a Big5 header-only file', iconv.encode(`${HEADER}\r\n`, 'big5')],
  ])('rejects %s as TRACK_FILE.EMPTY', (_label, content) => {
    expect(readError(content).code).toBe('TRACK_FILE.EMPTY');
  });

  it('rejects the whole file when some rows are bad, listing exactly the bad rows in row order', () => {
    const error = readError(
      utf8(
        HEADER,
        ROW_KD,
        `${SELLER},07,一般稅額計算,115/01 ~ 115/02,KD,12340000,12340099`, // overlaps row 2
        `${SELLER},07,一般稅額計算,115/01 ~ 115/02,kd,12350000,12350049`, // lower-case track
      ),
    );
    expect(error.code).toBe('TRACK_FILE.INVALID');
    expect(error.details.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 3, column: 'F 發票起號', code: 'TRACK_FILE.OVERLAP_IN_FILE' },
      { row: 4, column: 'E 發票字軌名稱', code: 'TRACK_FILE.TRACK_INVALID' },
    ]);
  });

  it("rejects rows of another seller's BAN", () => {
    const error = readError(utf8(HEADER, ROW_KD.replace(SELLER, '04595257')));
    expect(error.details).toMatchObject([{ row: 2, column: 'A 營業人統編', code: 'TRACK_FILE.BAN_NOT_SELLER' }]);
  });

  it('reports a row with extra or missing columns', () => {
    const error = readError(utf8(HEADER, `${ROW_KD},extra`, ROW_KE.split(',').slice(0, 6).join(',')));
    expect(error.details).toMatchObject([
      { row: 2, code: 'TRACK_FILE.COLUMN_COUNT' },
      { row: 3, code: 'TRACK_FILE.COLUMN_COUNT' },
    ]);
  });
});
