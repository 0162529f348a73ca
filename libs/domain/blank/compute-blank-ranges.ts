import { BOOKLET_SIZE, formatInvoiceNumber } from '../booklets';

export type InvoiceTypeCode = '07' | '08';

/** Why a number is blank; EINV450 shows it as 狀態 / 跳號. */
export type BlankKind = 'unused' | 'skipped' | 'cancelled_blank' | 'third_party';

/** What the database knows of one booklet of 50 in a period. Offsets are 0..49 from the booklet's first number. */
export interface BookletUsage {
  bookletId: string;
  invoiceType: InvoiceTypeCode;
  track: string;
  /** First number of the booklet (xx00 or xx50). */
  start: number;
  /** Handed to a third party (marketplace, another value-added centre): we cannot see what they issued. */
  thirdParty: boolean;
  /** Third-party booklets only: the first number they did not use, as entered by finance; null until entered. */
  blankStart: number | null;
  /** How many numbers the allocator handed out from the start (next_seq). */
  allocated: number;
  /** Offsets carrying an invoice that counts as used (issued, uploaded, accepted, rejected, voided). */
  used: readonly number[];
  /** Offsets whose invoice was cancelled as blank (空白作廢). */
  cancelledBlank: readonly number[];
}

export interface BlankRange {
  invoiceType: InvoiceTypeCode;
  track: string;
  /** Inclusive, as 8-digit numbers within the track. */
  begin: number;
  end: number;
}

export type ViolationCode = 'USED_AND_BLANK' | 'UNACCOUNTED' | 'BLANK_START_MISSING' | 'PERIOD_TOTAL' | 'E0402_TOO_MANY_RANGES';

export interface BlankViolation {
  code: ViolationCode;
  /** The booklet's id and its range as staff read it (`AB10000000–AB10000049`); absent for PERIOD_TOTAL. */
  bookletId?: string;
  booklet?: string;
  /** The numbers concerned, formatted with their track. */
  numbers: string[];
  message: string;
}

export interface BookletResult {
  bookletId: string;
  used: number;
  blank: number;
  /** Blank offsets and why. */
  blanks: { offset: number; kind: BlankKind }[];
  violations: BlankViolation[];
}

const bookletName = (b: BookletUsage) => `${formatInvoiceNumber(b.track, b.start)}–${formatInvoiceNumber(b.track, b.start + BOOKLET_SIZE - 1)}`;

/**
 * Sorts one booklet's 50 numbers into used and blank and checks that each is exactly one of them (used + blank = 50).
 * Own booklets: numbers past next_seq are unused, handed-out ones without an invoice skipped (跳號), blank-cancelled
 * ones blank; everything with an invoice is used, voided included. Third-party booklets: from the blank start on is
 * blank, before it used; without a blank start nothing can be said, which is itself a violation.
 */
export function classifyBooklet(b: BookletUsage): BookletResult {
  const used = new Set(b.used);
  const cancelled = new Set(b.cancelledBlank);
  const blanks: { offset: number; kind: BlankKind }[] = [];
  const both: number[] = [];
  const neither: number[] = [];
  const blankStartOffset = b.blankStart === null ? null : b.blankStart - b.start;
  let usedCount = 0;
  for (let offset = 0; offset < BOOKLET_SIZE; offset++) {
    let kind: BlankKind | undefined;
    let isUsed = used.has(offset);
    if (b.thirdParty) {
      if (blankStartOffset !== null && offset >= blankStartOffset) kind = 'third_party';
      else if (blankStartOffset !== null) isUsed = true;
    } else if (cancelled.has(offset)) kind = 'cancelled_blank';
    else if (offset >= b.allocated) kind = 'unused';
    else if (!isUsed) kind = 'skipped';
    if (kind) blanks.push({ offset, kind });
    if (isUsed) usedCount++;
    if (kind && isUsed) both.push(offset);
    if (!kind && !isUsed) neither.push(offset);
  }
  const violations: BlankViolation[] = [];
  const name = bookletName(b);
  const numbers = (offsets: number[]) => offsets.map((o) => formatInvoiceNumber(b.track, b.start + o));
  if (both.length > 0) {
    violations.push({
      code: 'USED_AND_BLANK', bookletId: b.bookletId, booklet: name, numbers: numbers(both),
      message: `booklet ${name}: ${both.length} number(s) are both used and blank`,
    });
  }
  if (b.thirdParty && blankStartOffset === null) {
    violations.push({
      code: 'BLANK_START_MISSING', bookletId: b.bookletId, booklet: name, numbers: [],
      message: `booklet ${name} is with a third party and has no blank start: enter its first unused number`,
    });
  } else if (neither.length > 0) {
    violations.push({
      code: 'UNACCOUNTED', bookletId: b.bookletId, booklet: name, numbers: numbers(neither),
      message: `booklet ${name}: ${neither.length} number(s) are neither used nor blank`,
    });
  }
  return { bookletId: b.bookletId, used: usedCount, blank: blanks.length, blanks, violations };
}

const typeTrackOrder = (a: { invoiceType: string; track: string }, b: { invoiceType: string; track: string }) =>
  a.invoiceType.localeCompare(b.invoiceType) || a.track.localeCompare(b.track);

/**
 * Merges ranges into maximal intervals per invoice type and track: touching or overlapping ranges become one, so the
 * blank tail of a booklet and an untouched booklet after it are reported as one range.
 */
export function mergeBlankRanges(ranges: readonly BlankRange[]): BlankRange[] {
  const sorted = [...ranges].sort((a, b) => typeTrackOrder(a, b) || a.begin - b.begin);
  const merged: BlankRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.invoiceType === range.invoiceType && last.track === range.track && range.begin <= last.end + 1) {
      last.end = Math.max(last.end, range.end);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/** The blank numbers of one booklet as maximal ranges. */
export function bookletBlankRanges(b: Pick<BookletUsage, 'invoiceType' | 'track' | 'start'>, result: BookletResult): BlankRange[] {
  return mergeBlankRanges(result.blanks.map(({ offset }) => ({ invoiceType: b.invoiceType, track: b.track, begin: b.start + offset, end: b.start + offset })));
}

export interface BlankTotals {
  booklets: number;
  /** Numbers the MOF allocated for the period (its track ranges). */
  allocated: number;
  used: number;
  blank: number;
}

export interface BlankComputation {
  ranges: BlankRange[];
  totals: BlankTotals;
  violations: BlankViolation[];
}

/** Sums of a part of the booklets (a chunk): what the period's check adds up. */
export interface BlankPart {
  ranges: BlankRange[];
  booklets: number;
  used: number;
  blank: number;
  violations: BlankViolation[];
}

/** One chunk of booklets: their ranges merged among themselves, counts and violations. */
export function computeBlankPart(booklets: readonly BookletUsage[]): BlankPart {
  const ranges: BlankRange[] = [];
  const violations: BlankViolation[] = [];
  let used = 0;
  let blank = 0;
  for (const booklet of booklets) {
    const result = classifyBooklet(booklet);
    used += result.used;
    blank += result.blank;
    violations.push(...result.violations);
    ranges.push(...bookletBlankRanges(booklet, result));
  }
  return { ranges: mergeBlankRanges(ranges), booklets: booklets.length, used, blank, violations };
}

/**
 * The period as a whole from its parts: ranges merged across part boundaries, and the period's invariant — used +
 * blank equals the numbers the MOF allocated — checked on top of each booklet's.
 */
export function combineBlankParts(parts: readonly BlankPart[], allocatedByMof: number): BlankComputation {
  const totals: BlankTotals = { booklets: 0, allocated: allocatedByMof, used: 0, blank: 0 };
  const violations: BlankViolation[] = [];
  const ranges: BlankRange[] = [];
  for (const part of parts) {
    totals.booklets += part.booklets;
    totals.used += part.used;
    totals.blank += part.blank;
    violations.push(...part.violations);
    ranges.push(...part.ranges);
  }
  if (totals.used + totals.blank !== allocatedByMof) {
    violations.push({
      code: 'PERIOD_TOTAL', numbers: [],
      message: `used ${totals.used} + blank ${totals.blank} = ${totals.used + totals.blank}, but the MOF allocated ${allocatedByMof} number(s) for the period`,
    });
  }
  return { ranges: mergeBlankRanges(ranges), totals, violations };
}

/** Everything at once: the period's blank ranges, totals and violations from all its booklets. */
export function computeBlankRanges(booklets: readonly BookletUsage[], allocatedByMof: number): BlankComputation {
  return combineBlankParts([computeBlankPart(booklets)], allocatedByMof);
}

/** Whether two sets of ranges report the same numbers (the order they are listed in does not matter). */
export function sameBlankRanges(a: readonly BlankRange[], b: readonly BlankRange[]): boolean {
  const key = (ranges: readonly BlankRange[]) => mergeBlankRanges(ranges).map((r) => `${r.invoiceType}${r.track}${r.begin}-${r.end}`).join(',');
  return key(a) === key(b);
}

/** The reported range holding a number, if any: a later invoice or void there touches what was reported. */
export function rangeHolding(ranges: readonly BlankRange[], track: string, number: number): BlankRange | undefined {
  return ranges.find((r) => r.track === track && number >= r.begin && number <= r.end);
}
