import { InvoiceTypeCode } from '../blank/compute-blank-ranges';
import { BOOKLET_SIZE, formatInvoiceNumber } from '../booklets';
import { DomainError } from '../domain-error';
import { FilingBooklet } from './filing-input';
import { MediaRecord, invoiceTypeOfFormat, isReturnFormat } from './media-record';
import { InvoiceTypeSalesSummary, SalesSummary, emptyInvoiceTypeSummary } from './sales-summary';

export type CompletenessCode = 'MISSING' | 'DUPLICATE' | 'OUTSIDE_BOOKLETS' | 'TOTAL_MISMATCH';

export interface CompletenessProblem {
  code: CompletenessCode;
  message: string;
  /** The first offending numbers (track + 8 digits), ascending; empty for a total. */
  numbers: string[];
  /** How many numbers are concerned in all. */
  count: number;
  /** TOTAL_MISMATCH: the summary's field, e.g. `07.taxable.toBusiness.sales`, and both values. */
  field?: string;
  summary?: number;
  records?: number;
}

export interface CompletenessResult {
  complete: boolean;
  problems: CompletenessProblem[];
  /**
   * Numbers of third-party booklets issued by the third party: not a fault of this file, but sales it cannot carry,
   * which the seller must add from the third party's own records before filing.
   */
  filedElsewhere: { count: number; booklets: string[] };
}

/** How a number is filed: exactly one blank range, one voided record, or 1–3 records of distinct tax classes. */
const BLANK = 1;
const VOIDED = 2;
const CLASS_BITS: Record<string, number> = { '1': 4, '2': 8, '3': 16 };
const REPORTED = 128;

interface Collector {
  numbers: string[];
  count: number;
}

const collector = (): Collector => ({ numbers: [], count: 0 });

/**
 * Proof that the file is complete: every number of every booklet of the period is filed exactly once — as an issued
 * invoice (its records, one per tax class), a voided one, or inside a blank range — no filed number lies outside the
 * booklets, and the summary's figures equal the sums over the records. Returns the first `limit` offending numbers
 * of each kind.
 */
export function checkCompleteness(
  booklets: readonly FilingBooklet[],
  records: readonly MediaRecord[],
  summary: SalesSummary,
  limit = 10,
): CompletenessResult {
  const marks = new Map<string, Uint8Array>();
  const bookletKey = (track: string, start: number) => `${track}${start}`;
  for (const b of booklets) marks.set(bookletKey(b.track, b.start), new Uint8Array(BOOKLET_SIZE));
  const duplicates = collector();
  const outside = collector();
  const note = (c: Collector, track: string, number: number) => {
    c.count++;
    if (c.numbers.length < limit) c.numbers.push(formatInvoiceNumber(track, number));
  };

  const file = (track: string, number: number, bit: number) => {
    const start = number - (number % BOOKLET_SIZE);
    const booklet = marks.get(bookletKey(track, start));
    if (!booklet) return note(outside, track, number);
    const offset = number - start;
    const before = booklet[offset];
    const clash = (before & ~REPORTED) !== 0 && (bit === BLANK || bit === VOIDED || (before & (BLANK | VOIDED | bit)) !== 0);
    if (clash && (before & REPORTED) === 0) note(duplicates, track, number);
    booklet[offset] = before | bit | (clash ? REPORTED : 0);
  };

  for (const r of records) {
    if (isReturnFormat(r.formatCode)) continue;
    const track = r.invoiceNumber.slice(0, 2);
    const first = Number(r.invoiceNumber.slice(2));
    if (r.taxClass === 'D') {
      const last = r.blankEnd ?? first;
      for (let n = first; n <= last; n++) file(track, n, BLANK);
    } else {
      file(track, first, r.taxClass === 'F' ? VOIDED : CLASS_BITS[r.taxClass]);
    }
  }

  const missing = collector();
  const filedElsewhere = { count: 0, booklets: [] as string[] };
  const ordered = [...booklets].sort((a, b) => a.track.localeCompare(b.track) || a.start - b.start);
  for (const b of ordered) {
    const booklet = marks.get(bookletKey(b.track, b.start)) as Uint8Array;
    const ownFrom = b.thirdParty ? (b.blankStart ?? b.start + BOOKLET_SIZE) - b.start : 0;
    let elsewhere = 0;
    for (let offset = 0; offset < BOOKLET_SIZE; offset++) {
      if (booklet[offset] !== 0) continue;
      if (offset < ownFrom) elsewhere++;
      else note(missing, b.track, b.start + offset);
    }
    if (elsewhere > 0) {
      filedElsewhere.count += elsewhere;
      filedElsewhere.booklets.push(`${formatInvoiceNumber(b.track, b.start)}–${formatInvoiceNumber(b.track, b.start + BOOKLET_SIZE - 1)}`);
    }
  }

  const problems: CompletenessProblem[] = [];
  const numbered = (code: CompletenessCode, c: Collector, what: string) => {
    if (c.count === 0) return;
    const sorted = [...c.numbers].sort();
    problems.push({ code, count: c.count, numbers: sorted, message: `${c.count} number(s) ${what}: ${sorted.join(', ')}${c.count > sorted.length ? ', …' : ''}` });
  };
  numbered('MISSING', missing, 'of the period\'s booklets appear in no record');
  numbered('DUPLICATE', duplicates, 'are filed more than once');
  numbered('OUTSIDE_BOOKLETS', outside, 'are filed but belong to no booklet of the period');
  problems.push(...totalMismatches(records, summary));
  return { complete: problems.length === 0, problems, filedElsewhere };
}

/** The figures the records themselves add up to, per invoice type, in the summary's shape. */
export function summarizeRecords(records: readonly MediaRecord[]): Map<InvoiceTypeCode, InvoiceTypeSalesSummary> {
  const byType = new Map<InvoiceTypeCode, InvoiceTypeSalesSummary>();
  const issued = new Map<InvoiceTypeCode, Set<string>>();
  for (const r of records) {
    const type = invoiceTypeOfFormat(r.formatCode);
    let s = byType.get(type);
    if (!s) {
      byType.set(type, (s = emptyInvoiceTypeSummary(type)));
      issued.set(type, new Set());
    }
    if (isReturnFormat(r.formatCode)) {
      if (r.taxClass === '1') {
        s.returnsAndAllowances.taxable.sales += r.salesAmount;
        s.returnsAndAllowances.taxable.tax += r.taxAmount;
      } else if (r.taxClass === '2') s.returnsAndAllowances.zeroRated += r.salesAmount;
      else if (r.taxClass === '3') s.returnsAndAllowances.exempt += r.salesAmount;
      continue;
    }
    if (r.taxClass === 'D') {
      s.counts.blank += (r.blankEnd ?? Number(r.invoiceNumber.slice(2))) - Number(r.invoiceNumber.slice(2)) + 1;
      continue;
    }
    if (r.taxClass === 'F') {
      s.counts.voided++;
      continue;
    }
    issued.get(type)?.add(r.invoiceNumber);
    if (r.taxClass === '1') {
      if (r.buyerBan === null) {
        s.taxable.toConsumers.taxIncluded += r.salesAmount;
      } else {
        s.taxable.toBusiness.sales += r.salesAmount;
        s.taxable.toBusiness.tax += r.taxAmount;
      }
    } else if (r.taxClass === '2') {
      if (r.customsMark === '2') s.zeroRated.throughCustoms += r.salesAmount;
      else s.zeroRated.notThroughCustoms += r.salesAmount;
    } else {
      s.exempt += r.salesAmount;
    }
  }
  for (const [type, s] of byType) s.counts.issued = issued.get(type)?.size ?? 0;
  return byType;
}

/** The fields both sides must agree on; the summary's own totals are held against its parts too. */
const COMPARED: { field: string; value: (s: InvoiceTypeSalesSummary) => number }[] = [
  { field: 'taxable.toBusiness.sales', value: (s) => s.taxable.toBusiness.sales },
  { field: 'taxable.toBusiness.tax', value: (s) => s.taxable.toBusiness.tax },
  { field: 'taxable.toConsumers.taxIncluded', value: (s) => s.taxable.toConsumers.taxIncluded },
  { field: 'zeroRated.throughCustoms', value: (s) => s.zeroRated.throughCustoms },
  { field: 'zeroRated.notThroughCustoms', value: (s) => s.zeroRated.notThroughCustoms },
  { field: 'exempt', value: (s) => s.exempt },
  { field: 'returnsAndAllowances.taxable.sales', value: (s) => s.returnsAndAllowances.taxable.sales },
  { field: 'returnsAndAllowances.taxable.tax', value: (s) => s.returnsAndAllowances.taxable.tax },
  { field: 'returnsAndAllowances.zeroRated', value: (s) => s.returnsAndAllowances.zeroRated },
  { field: 'returnsAndAllowances.exempt', value: (s) => s.returnsAndAllowances.exempt },
  { field: 'counts.issued', value: (s) => s.counts.issued },
  { field: 'counts.voided', value: (s) => s.counts.voided },
  { field: 'counts.blank', value: (s) => s.counts.blank },
];

function totalMismatches(records: readonly MediaRecord[], summary: SalesSummary): CompletenessProblem[] {
  const fromRecords = summarizeRecords(records);
  const stated = new Map(summary.byInvoiceType.map((s) => [s.invoiceType, s]));
  const types = [...new Set<InvoiceTypeCode>([...fromRecords.keys(), ...stated.keys()])].sort();
  const problems: CompletenessProblem[] = [];
  const mismatch = (field: string, summaryValue: number, recordsValue: number, what: string) =>
    problems.push({ code: 'TOTAL_MISMATCH', field, summary: summaryValue, records: recordsValue, numbers: [], count: 0, message: `${field}: the summary says ${summaryValue}, ${what} ${recordsValue}` });
  for (const type of types) {
    const s = stated.get(type) ?? emptyInvoiceTypeSummary(type);
    const r = fromRecords.get(type) ?? emptyInvoiceTypeSummary(type);
    for (const { field, value } of COMPARED) {
      if (value(s) !== value(r)) mismatch(`${type}.${field}`, value(s), value(r), 'the records add up to');
    }
    const { taxable } = s;
    if (taxable.sales !== taxable.toBusiness.sales + taxable.toConsumers.sales) {
      mismatch(`${type}.taxable.sales`, taxable.sales, taxable.toBusiness.sales + taxable.toConsumers.sales, 'its business and consumer parts add up to');
    }
    if (taxable.tax !== taxable.toBusiness.tax + taxable.toConsumers.tax) {
      mismatch(`${type}.taxable.tax`, taxable.tax, taxable.toBusiness.tax + taxable.toConsumers.tax, 'its business and consumer parts add up to');
    }
    if (taxable.toConsumers.sales + taxable.toConsumers.tax !== taxable.toConsumers.taxIncluded) {
      mismatch(`${type}.taxable.toConsumers.taxIncluded`, taxable.toConsumers.taxIncluded, taxable.toConsumers.sales + taxable.toConsumers.tax, 'its sales and tax add up to');
    }
  }
  return problems;
}

/** Refuses (409) with the first offending numbers and totals when the file is not complete. */
export function assertComplete(result: CompletenessResult): void {
  if (result.complete) return;
  throw new DomainError(
    'conflict',
    'MEDIA_FILE.INCOMPLETE',
    `the media file does not account for the period: ${result.problems.map((p) => p.message).join('; ')}`,
    result.problems.map((p) => ({ code: `MEDIA_FILE.${p.code}`, field: p.field, message: p.message })),
  );
}
