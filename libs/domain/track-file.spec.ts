import { TRACK_FILE_COLUMNS, TrackRange, findOverlapsWithinFile, isTrackFileHeader, validateTrackRow } from './track-file';

const SELLER = '12345675';
const GOOD = [SELLER, '07', '一般稅額計算', '115/01 ~ 115/02', 'KD', '12340000', '12340049'];

/** The good row with some columns replaced, by index. */
const row = (changes: Record<number, string> = {}): string[] => GOOD.map((cell, i) => changes[i] ?? cell);

describe('validateTrackRow', () => {
  it('returns the range of a good row', () => {
    expect(validateTrackRow(GOOD, 2, SELLER)).toEqual({
      errors: [],
      range: {
        row: 2,
        period: { code: '11502', rocYear: 115, endMonth: 2 },
        invoiceType: '07',
        track: 'KD',
        start: 12340000,
        end: 12340049,
      },
    });
  });

  it('trims the cells', () => {
    const result = validateTrackRow(GOOD.map((cell) => ` ${cell} `), 2, SELLER);
    expect(result.errors).toEqual([]);
    expect(result.range?.track).toBe('KD');
  });

  test.each([
    ['7', '07'],
    ['07', '07'],
    ['8', '08'],
    ['08', '08'],
  ])('accepts type code %j as %s', (code, type) => {
    expect(validateTrackRow(row({ 1: code }), 2, SELLER).range?.invoiceType).toBe(type);
  });

  test.each([
    ['BAN checksum wrong', { 0: '12345678' }, 'A 營業人統編', 'TRACK_FILE.BAN_INVALID'],
    ['BAN 7 digits (leading 0 lost)', { 0: '4595257' }, 'A 營業人統編', 'TRACK_FILE.BAN_INVALID'],
    ["BAN valid but not the seller's", { 0: '04595257' }, 'A 營業人統編', 'TRACK_FILE.BAN_NOT_SELLER'],
    ['type code 9', { 1: '9' }, 'B 發票類別代號', 'TRACK_FILE.TYPE_INVALID'],
    ['type code empty', { 1: '' }, 'B 發票類別代號', 'TRACK_FILE.TYPE_INVALID'],
    ['period unreadable', { 3: '115/01 ~ 115/04' }, 'D 發票期別', 'TRACK_FILE.PERIOD_UNREADABLE'],
    ['period odd month', { 3: '11501' }, 'D 發票期別', 'TRACK_FILE.PERIOD_UNREADABLE'],
    ['track with a digit', { 4: 'K1' }, 'E 發票字軌名稱', 'TRACK_FILE.TRACK_INVALID'],
    ['track lower case', { 4: 'kd' }, 'E 發票字軌名稱', 'TRACK_FILE.TRACK_INVALID'],
    ['track of 3 letters', { 4: 'KDE' }, 'E 發票字軌名稱', 'TRACK_FILE.TRACK_INVALID'],
    ['start of 7 digits', { 5: '1234000' }, 'F 發票起號', 'TRACK_FILE.NUMBER_INVALID'],
    ['start with a letter', { 5: '1234000A' }, 'F 發票起號', 'TRACK_FILE.NUMBER_INVALID'],
    ['end of 9 digits', { 6: '123400049' }, 'G 發票迄號', 'TRACK_FILE.NUMBER_INVALID'],
    ['start not on 00/50', { 5: '12340001' }, 'G 發票迄號', 'TRACK_FILE.NOT_WHOLE_BOOKLETS'],
    ['end not on 49/99', { 6: '12340050' }, 'G 發票迄號', 'TRACK_FILE.NOT_WHOLE_BOOKLETS'],
    ['end before start', { 5: '12340050' }, 'G 發票迄號', 'TRACK_FILE.NOT_WHOLE_BOOKLETS'],
  ])('%s: one error on that column, no range', (_label, changes, column, code) => {
    const result = validateTrackRow(row(changes), 7, SELLER);
    expect(result.range).toBeUndefined();
    expect(result.errors).toEqual([{ row: 7, column, code, message: expect.any(String) }]);
  });

  test.each([
    ['missing', GOOD.slice(0, 6), 6],
    ['extra', [...GOOD, ''], 8],
    ['one cell', ['hello'], 1],
  ])('a row with a %s column is reported once, without a column', (_label, cells, found) => {
    const result = validateTrackRow(cells, 4, SELLER);
    expect(result.range).toBeUndefined();
    expect(result.errors).toEqual([{ row: 4, code: 'TRACK_FILE.COLUMN_COUNT', message: expect.stringContaining(`found ${found}`) }]);
  });

  it('reports every problem of a row, not only the first', () => {
    const result = validateTrackRow(['1234567', '9', '', 'next', 'k1', '123', 'abc'], 3, SELLER);
    expect(result.range).toBeUndefined();
    expect(result.errors.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 3, column: 'A 營業人統編', code: 'TRACK_FILE.BAN_INVALID' },
      { row: 3, column: 'B 發票類別代號', code: 'TRACK_FILE.TYPE_INVALID' },
      { row: 3, column: 'D 發票期別', code: 'TRACK_FILE.PERIOD_UNREADABLE' },
      { row: 3, column: 'E 發票字軌名稱', code: 'TRACK_FILE.TRACK_INVALID' },
      { row: 3, column: 'F 發票起號', code: 'TRACK_FILE.NUMBER_INVALID' },
      { row: 3, column: 'G 發票迄號', code: 'TRACK_FILE.NUMBER_INVALID' },
    ]);
  });
});

describe('findOverlapsWithinFile', () => {
  const range = (rowNo: number, track: string, start: number, end: number, code = '11502'): TrackRange => ({
    row: rowNo,
    period: { code, rocYear: Number(code.slice(0, 3)), endMonth: Number(code.slice(3)) },
    invoiceType: '07',
    track,
    start,
    end,
  });

  it('reports an overlap on the later row, naming the earlier row', () => {
    const errors = findOverlapsWithinFile([
      range(2, 'KD', 12340000, 12340099),
      range(3, 'KE', 12340000, 12340049),
      range(5, 'KD', 12340050, 12340149),
    ]);
    expect(errors).toEqual([
      { row: 5, column: 'F 發票起號', code: 'TRACK_FILE.OVERLAP_IN_FILE', message: expect.stringContaining('row 2') },
    ]);
  });

  it('accepts the same numbers on another track or in another period, and adjacent ranges', () => {
    expect(
      findOverlapsWithinFile([
        range(2, 'KD', 12340000, 12340049),
        range(3, 'KE', 12340000, 12340049),
        range(4, 'KD', 12340000, 12340049, '11504'),
        range(5, 'KD', 12340050, 12340099),
      ]),
    ).toEqual([]);
  });

  it('reports a duplicated row once per later copy', () => {
    const errors = findOverlapsWithinFile([
      range(2, 'KD', 12340000, 12340049),
      range(3, 'KD', 12340000, 12340049),
      range(4, 'KD', 12340000, 12340049),
    ]);
    expect(errors.map((e) => [e.row, e.message])).toEqual([
      [3, expect.stringContaining('row 2')],
      [4, expect.stringContaining('row 2')],
    ]);
  });
});

describe('isTrackFileHeader', () => {
  test.each([
    [[...TRACK_FILE_COLUMNS], true],
    [[' 營業人統編 ', 'x'], true],
    [GOOD, false],
    [[], false],
    [[''], false],
  ])('%j → %s', (cells, expected) => {
    expect(isTrackFileHeader(cells)).toBe(expected);
  });
});
