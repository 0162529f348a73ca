import { fc, test } from '@fast-check/jest';
import { BOOKLET_SIZE, formatInvoiceNumber, isWholeBooklets, rangesOverlap, splitIntoBooklets } from './booklets';

describe('isWholeBooklets', () => {
  test.each([
    [12340000, 12340049],
    [12340050, 12340099],
    [12340000, 12340999],
    [0, 49],
    [99999950, 99999999],
  ])('accepts %i–%i', (start, end) => {
    expect(isWholeBooklets({ start, end })).toBe(true);
  });

  test.each([
    ['start not on 00/50', 12340001, 12340049],
    ['end not on 49/99', 12340000, 12340048],
    ['end before start', 12340050, 12340049],
    ['a single number', 12340000, 12340000],
    ['ends one booklet short', 12340000, 12340098],
  ])('rejects %s (%i–%i)', (_label, start, end) => {
    expect(isWholeBooklets({ start, end })).toBe(false);
  });
});

describe('splitIntoBooklets', () => {
  it('splits 00–99 into two booklets of 50', () => {
    expect(splitIntoBooklets({ start: 12340000, end: 12340099 })).toEqual([
      { start: 12340000, end: 12340049 },
      { start: 12340050, end: 12340099 },
    ]);
  });

  test.each([
    [12340001, 12340050],
    [12340000, 12340048],
    [12340050, 12340049],
  ])('throws on %i–%i, which is not whole booklets', (start, end) => {
    expect(() => splitIntoBooklets({ start, end })).toThrow(RangeError);
  });

  test.prop([fc.integer({ min: 0, max: 100_000_000 / BOOKLET_SIZE - 200 }), fc.integer({ min: 1, max: 200 })])(
    'k booklets from any multiple of 50 split into k contiguous ascending booklets covering the range',
    (firstBooklet, k) => {
      const range = { start: firstBooklet * BOOKLET_SIZE, end: (firstBooklet + k) * BOOKLET_SIZE - 1 };
      const booklets = splitIntoBooklets(range);
      expect(booklets).toHaveLength(k);
      expect(booklets[0].start).toBe(range.start);
      expect(booklets[k - 1].end).toBe(range.end);
      booklets.forEach((booklet, i) => {
        expect(booklet.end - booklet.start + 1).toBe(BOOKLET_SIZE);
        expect(isWholeBooklets(booklet)).toBe(true);
        if (i > 0) expect(booklet.start).toBe(booklets[i - 1].end + 1);
      });
    },
  );

  test.prop([fc.integer({ min: 0, max: 99_999_000 }), fc.integer({ min: 0, max: 999 })])(
    'any range that does not start on 00/50 or end on 49/99 throws',
    (start, length) => {
      const range = { start, end: start + length };
      fc.pre(!isWholeBooklets(range));
      expect(() => splitIntoBooklets(range)).toThrow(RangeError);
    },
  );
});

describe('rangesOverlap', () => {
  test.each([
    ['identical', [0, 49], [0, 49], true],
    ['touching at one number', [0, 50], [50, 99], true],
    ['one inside the other', [0, 999], [100, 149], true],
    ['adjacent booklets', [0, 49], [50, 99], false],
    ['far apart', [0, 49], [1000, 1049], false],
  ])('%s: %j and %j → %s', (_label, [aStart, aEnd], [bStart, bEnd], expected) => {
    const a = { start: aStart, end: aEnd };
    const b = { start: bStart, end: bEnd };
    expect(rangesOverlap(a, b)).toBe(expected);
    expect(rangesOverlap(b, a)).toBe(expected);
  });

  test.prop([fc.nat(10_000), fc.nat(100), fc.nat(10_000), fc.nat(100)])(
    'overlap iff some number lies in both ranges',
    (aStart, aLength, bStart, bLength) => {
      const a = { start: aStart, end: aStart + aLength };
      const b = { start: bStart, end: bStart + bLength };
      const shared = Array.from({ length: aLength + 1 }, (_, i) => a.start + i).some((n) => n >= b.start && n <= b.end);
      expect(rangesOverlap(a, b)).toBe(shared);
    },
  );
});

describe('formatInvoiceNumber', () => {
  test.each([
    ['AB', 12345678, 'AB12345678'],
    ['KD', 50, 'KD00000050'],
    ['ZZ', 0, 'ZZ00000000'],
  ])('%s + %i → %s', (track, number, expected) => {
    expect(formatInvoiceNumber(track, number)).toBe(expected);
  });
});
