import { fc, test } from '@fast-check/jest';
import { BOOKLET_SIZE } from '../booklets';
import { BookletUsage, classifyBooklet, combineBlankParts, computeBlankPart, computeBlankRanges, mergeBlankRanges, sameBlankRanges } from './compute-blank-ranges';

const own = (start: number, allocated: number, used: number[], cancelledBlank: number[] = [], track = 'AB'): BookletUsage => ({
  bookletId: `b${start}`, invoiceType: '07', track, start, thirdParty: false, blankStart: null, allocated, used, cancelledBlank,
});

/** A consistent own booklet: next_seq numbers handed out, each used, skipped or cancelled as blank. */
const ownBooklet = (start: number) =>
  fc.integer({ min: 0, max: BOOKLET_SIZE }).chain((allocated) =>
    fc.array(fc.constantFrom('used', 'skipped', 'cancelled'), { minLength: allocated, maxLength: allocated }).map((fates): BookletUsage => ({
      ...own(start, allocated, fates.flatMap((f, i) => (f === 'used' ? [i] : []))),
      cancelledBlank: fates.flatMap((f, i) => (f === 'cancelled' ? [i] : [])),
    })),
  );

const thirdPartyBooklet = (start: number) =>
  fc.integer({ min: 0, max: BOOKLET_SIZE - 1 }).map((offset): BookletUsage => ({ ...own(start, 0, []), thirdParty: true, blankStart: start + offset }));

/** Booklets of one track, starting at distinct booklet numbers, some adjacent. */
const period = fc
  .uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 25 })
  .chain((slots) => fc.tuple(...slots.map((slot) => fc.oneof({ weight: 4, arbitrary: ownBooklet(slot * BOOKLET_SIZE) }, { weight: 1, arbitrary: thirdPartyBooklet(slot * BOOKLET_SIZE) }))));

describe('classifyBooklet', () => {
  it('a partly used booklet: a skipped number, a void (used), a cancel-as-blank and the unused tail', () => {
    // 0..9 handed out: 3 skipped, 5 voided (still used, so in `used`), 7 cancelled as blank; 10..49 never handed out.
    const result = classifyBooklet(own(1000, 10, [0, 1, 2, 4, 5, 6, 8, 9], [7]));
    expect(result).toMatchObject({ used: 8, blank: 42, violations: [] });
    expect(result.blanks.slice(0, 3)).toEqual([
      { offset: 3, kind: 'skipped' },
      { offset: 7, kind: 'cancelled_blank' },
      { offset: 10, kind: 'unused' },
    ]);
  });

  it('a third-party booklet is blank from its blank start; without one it is a violation', () => {
    const tp = { ...own(50, 0, []), thirdParty: true };
    expect(classifyBooklet({ ...tp, blankStart: 70 })).toMatchObject({ used: 20, blank: 30, violations: [] });
    expect(classifyBooklet({ ...tp, blankStart: null }).violations).toEqual([expect.objectContaining({ code: 'BLANK_START_MISSING', booklet: 'AB00000050–AB00000099' })]);
  });

  it('lists a number both used and blank with its booklet', () => {
    // an invoice at offset 45 of a booklet whose allocator says only 5 were handed out
    const result = classifyBooklet(own(100, 5, [0, 1, 2, 3, 4, 45]));
    expect(result.violations).toEqual([
      expect.objectContaining({ code: 'USED_AND_BLANK', bookletId: 'b100', booklet: 'AB00000100–AB00000149', numbers: ['AB00000145'] }),
    ]);
  });

  test.prop([ownBooklet(0)])('used + blank = 50 for every consistent own booklet', (booklet) => {
    const result = classifyBooklet(booklet);
    expect(result.used + result.blank).toBe(BOOKLET_SIZE);
    expect(result.violations).toEqual([]);
  });

  // A skipped number that turns out used is simply used; an unused or blank-cancelled one cannot be.
  test.prop([ownBooklet(0), fc.integer({ min: 0, max: BOOKLET_SIZE - 1 })])('a use of an unused or cancelled number is listed, by number', (booklet, offset) => {
    const blankOffsets = new Set(classifyBooklet(booklet).blanks.filter((b) => b.kind !== 'skipped').map((b) => b.offset));
    fc.pre(blankOffsets.has(offset));
    const result = classifyBooklet({ ...booklet, used: [...booklet.used, offset] });
    expect(result.violations.flatMap((v) => v.numbers)).toEqual([`AB${String(offset).padStart(8, '0')}`]);
  });
});

describe('blank ranges of a period', () => {
  it('merges adjacent booklets into maximal intervals, per track', () => {
    const booklets = [own(0, 40, Array.from({ length: 40 }, (_, i) => i)), own(50, 0, []), own(150, 0, []), own(100, 50, Array.from({ length: 50 }, (_, i) => i)), own(0, 0, [], [], 'AC')];
    const { ranges, totals, violations } = computeBlankRanges(booklets, 250);
    expect(ranges).toEqual([
      { invoiceType: '07', track: 'AB', begin: 40, end: 99 },
      { invoiceType: '07', track: 'AB', begin: 150, end: 199 },
      { invoiceType: '07', track: 'AC', begin: 0, end: 49 },
    ]);
    expect(totals).toEqual({ booklets: 5, allocated: 250, used: 90, blank: 160 });
    expect(violations).toEqual([]);
  });

  it('a booklet the MOF allocated but missing here breaks the period total', () => {
    expect(computeBlankRanges([own(0, 0, [])], 100).violations).toEqual([expect.objectContaining({ code: 'PERIOD_TOTAL' })]);
  });

  test.prop([period])('used + blank = allocated per period, and the ranges hold exactly the blank numbers', (booklets) => {
    const { ranges, totals, violations } = computeBlankRanges(booklets, booklets.length * BOOKLET_SIZE);
    expect(violations).toEqual([]);
    expect(totals.used + totals.blank).toBe(totals.allocated);
    expect(ranges.reduce((sum, r) => sum + r.end - r.begin + 1, 0)).toBe(totals.blank);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].begin).toBeGreaterThan(ranges[i - 1].end + 1);
  });

  test.prop([period, fc.integer({ min: 1, max: 5 })])('chunking the booklets never changes the result', (booklets, chunks) => {
    const size = Math.ceil(booklets.length / chunks);
    const parts = Array.from({ length: chunks }, (_, i) => computeBlankPart(booklets.slice(i * size, (i + 1) * size)));
    const whole = computeBlankRanges(booklets, booklets.length * BOOKLET_SIZE);
    expect(combineBlankParts(parts, booklets.length * BOOKLET_SIZE)).toEqual(whole);
  });

  test.prop([fc.array(fc.tuple(fc.nat(500), fc.nat(20)), { maxLength: 30 })])('merging is idempotent and keeps every number', (pairs) => {
    const ranges = pairs.map(([begin, length]) => ({ invoiceType: '07' as const, track: 'AB', begin, end: begin + length }));
    const merged = mergeBlankRanges(ranges);
    expect(mergeBlankRanges(merged)).toEqual(merged);
    expect(sameBlankRanges(ranges, merged)).toBe(true);
    const numbers = new Set(ranges.flatMap((r) => Array.from({ length: r.end - r.begin + 1 }, (_, i) => r.begin + i)));
    expect(merged.reduce((sum, r) => sum + r.end - r.begin + 1, 0)).toBe(numbers.size);
  });
});
