import { fc, test } from '@fast-check/jest';
import { BookletUsage, computeBlankRanges } from '../blank/compute-blank-ranges';
import { BOOKLET_SIZE, formatInvoiceNumber } from '../booklets';
import { DomainError } from '../domain-error';
import { parsePeriod } from '../period';
import { fromTaipei } from '../taipei-time';
import { assertComplete, checkCompleteness } from './completeness';
import { FilingAllowance, FilingBooklet, FilingInvoice, PeriodFiling } from './filing-input';
import { parseMediaFile, renderMediaFile } from './media-file';
import { MediaRecord, buildMediaRecords } from './media-record';
import { SalesSummary, summarizeSales } from './sales-summary';

const JAN = fromTaipei(2026, 1, 10, 9);
const FEB = fromTaipei(2026, 2, 20, 18);

const invoice = (number: string, over: Partial<FilingInvoice>): FilingInvoice => ({
  number, invoiceType: '07', issuedAt: JAN, buyerBan: null, taxType: '1',
  salesAmount: 0, zeroTaxSalesAmount: 0, freeTaxSalesAmount: 0, taxAmount: 0, voided: false, customsClearanceMark: null, ...over,
});

const allowance = (allowanceNumber: string, invoiceNumber: string, over: Partial<FilingAllowance>): FilingAllowance => ({
  allowanceNumber, allowanceDate: FEB, invoiceNumber, invoiceType: '07', buyerBan: null,
  taxableAmount: 0, zeroTaxAmount: 0, freeTaxAmount: 0, taxAmount: 0, customsClearanceMark: null, ...over,
});

const own = (invoiceType: '07' | '08', track: string, start: number): FilingBooklet => ({ invoiceType, track, start, thirdParty: false, blankStart: null });

const BOOKLETS: FilingBooklet[] = [own('07', 'AB', 0), own('07', 'AB', 50), own('08', 'XY', 0)];

const NOTHING_ELSEWHERE = { count: 0, booklets: [] };

/** Two booklets of 07 and one of 08, with every kind of record. */
const PERIOD: PeriodFiling = {
  seller: { ban: '12345675', taxRegistrationNumber: '123456789' },
  period: parsePeriod('11502'),
  invoices: [
    invoice('AB00000000', { buyerBan: '24549210', salesAmount: 1000, taxAmount: 50 }),
    invoice('AB00000001', { salesAmount: 1050 }),
    invoice('AB00000002', { issuedAt: FEB, salesAmount: 2101 }),
    invoice('AB00000003', { buyerBan: '24549210', taxType: '2', zeroTaxSalesAmount: 88000, customsClearanceMark: '2' }),
    invoice('AB00000004', { taxType: '2', zeroTaxSalesAmount: 700, customsClearanceMark: '1' }),
    invoice('AB00000005', { taxType: '3', freeTaxSalesAmount: 320 }),
    invoice('AB00000006', { taxType: '9', salesAmount: 525, freeTaxSalesAmount: 300 }),
    invoice('AB00000007', { buyerBan: '24549210', salesAmount: 2000, taxAmount: 100, voided: true }),
    invoice('AB00000008', { salesAmount: 99, voided: true }),
    invoice('AB00000050', { buyerBan: '24549210', salesAmount: 200, taxAmount: 10 }),
    invoice('AB00000052', { issuedAt: FEB, salesAmount: 100 }),
    invoice('XY00000000', { invoiceType: '08', taxType: '3', freeTaxSalesAmount: 500 }),
  ],
  allowances: [
    allowance('A1', 'AB00000000', { buyerBan: '24549210', taxableAmount: 400, taxAmount: 20 }),
    allowance('A2', 'AB00000001', { taxableAmount: 100, taxAmount: 5 }),
    allowance('A3', 'AB00000006', { taxableAmount: 50, taxAmount: 2, freeTaxAmount: 30 }),
  ],
  blankRanges: [
    { invoiceType: '07', track: 'AB', begin: 9, end: 49 },
    { invoiceType: '07', track: 'AB', begin: 51, end: 51 },
    { invoiceType: '07', track: 'AB', begin: 53, end: 99 },
    { invoiceType: '08', track: 'XY', begin: 1, end: 49 },
  ],
};

const check = (filing: PeriodFiling, over: { records?: MediaRecord[]; summary?: SalesSummary; booklets?: FilingBooklet[]; limit?: number } = {}) =>
  checkCompleteness(over.booklets ?? BOOKLETS, over.records ?? buildMediaRecords(filing), over.summary ?? summarizeSales(filing), over.limit);

describe('checkCompleteness', () => {
  it('holds for a period with every kind of record, and for the file read back from its text', () => {
    expect(check(PERIOD)).toEqual({ complete: true, problems: [], filedElsewhere: NOTHING_ELSEWHERE });
    const reread = parseMediaFile(renderMediaFile(buildMediaRecords(PERIOD)));
    expect(check(PERIOD, { records: reread })).toEqual({ complete: true, problems: [], filedElsewhere: NOTHING_ELSEWHERE });
  });

  it('names a number that is in no record (an invoice missing from the ledger)', () => {
    const result = check({ ...PERIOD, invoices: PERIOD.invoices.filter((i) => i.number !== 'AB00000003') });
    expect(result.complete).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'MISSING', count: 1, numbers: ['AB00000003'] })]);
  });

  it('names a number filed twice: two invoices, or a blank range over used numbers', () => {
    const twice = check({ ...PERIOD, invoices: [...PERIOD.invoices, invoice('AB00000050', { salesAmount: 5 })] });
    expect(twice.problems).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', count: 1, numbers: ['AB00000050'] }),
      // The ledger counts ten general-tax invoices where the file files nine numbers.
      expect.objectContaining({ code: 'TOTAL_MISMATCH', field: '07.counts.issued', summary: 10, records: 9 }),
    ]);

    const overlap = check({ ...PERIOD, blankRanges: [...PERIOD.blankRanges, { invoiceType: '07', track: 'AB', begin: 5, end: 10 }] });
    expect(overlap.problems).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', count: 6, numbers: ['AB00000005', 'AB00000006', 'AB00000007', 'AB00000008', 'AB00000009', 'AB00000010'] }),
    ]);
  });

  it('a mixed invoice\'s records per tax class are one filing of its number, but the same class twice is not', () => {
    const records = buildMediaRecords(PERIOD);
    const mixed = records.filter((r) => r.invoiceNumber === 'AB00000006' && r.formatCode === '35');
    expect(mixed.map((r) => r.taxClass)).toEqual(['1', '3']);
    const repeated = [...records, { ...mixed[0], serial: records.length + 1 }];
    expect(check(PERIOD, { records: repeated, summary: summarizeSales(PERIOD) }).problems[0]).toMatchObject({ code: 'DUPLICATE', numbers: ['AB00000006'] });
  });

  it('names a filed number that belongs to no booklet of the period', () => {
    const result = check({ ...PERIOD, invoices: [...PERIOD.invoices, invoice('AB00000100', { salesAmount: 10 })] });
    expect(result.problems).toEqual([expect.objectContaining({ code: 'OUTSIDE_BOOKLETS', numbers: ['AB00000100'] })]);
  });

  it('a third-party booklet: its numbers before the blank start are counted as filed elsewhere, the rest must be blank', () => {
    const marketplace: FilingBooklet = { invoiceType: '07', track: 'AB', start: 100, thirdParty: true, blankStart: 130 };
    const withTail = { ...PERIOD, blankRanges: [...PERIOD.blankRanges, { invoiceType: '07' as const, track: 'AB', begin: 130, end: 149 }] };
    const result = check(withTail, { booklets: [...BOOKLETS, marketplace] });
    expect(result).toEqual({ complete: true, problems: [], filedElsewhere: { count: 30, booklets: ['AB00000100–AB00000149'] } });

    const noTail = check(PERIOD, { booklets: [...BOOKLETS, marketplace], limit: 2 });
    expect(noTail.problems).toEqual([expect.objectContaining({ code: 'MISSING', count: 20, numbers: ['AB00000130', 'AB00000131'] })]);
  });

  it('returns the first offending numbers only, with their count', () => {
    const result = check({ ...PERIOD, blankRanges: PERIOD.blankRanges.filter((r) => r.begin !== 53) }, { limit: 3 });
    const missing = result.problems.find((p) => p.code === 'MISSING');
    expect(missing).toMatchObject({ count: 47, numbers: ['AB00000053', 'AB00000054', 'AB00000055'] });
    expect(missing?.message).toMatch(/^47 number\(s\) .*: AB00000053, AB00000054, AB00000055, …$/);
  });

  it('refuses a summary whose totals differ from the sums over the records', () => {
    const summary = summarizeSales(PERIOD);
    const general = summary.byInvoiceType[0];
    const tampered: SalesSummary = {
      ...summary,
      byInvoiceType: [{ ...general, exempt: general.exempt + 1, counts: { ...general.counts, voided: 1 } }, summary.byInvoiceType[1]],
    };
    const result = check(PERIOD, { summary: tampered });
    expect(result.problems.map((p) => [p.code, p.field, p.summary, p.records])).toEqual([
      ['TOTAL_MISMATCH', '07.exempt', 621, 620],
      ['TOTAL_MISMATCH', '07.counts.voided', 1, 2],
    ]);
  });

  it('refuses records that lost a line: the number and the totals both show it', () => {
    const records = buildMediaRecords(PERIOD).filter((r) => !(r.invoiceNumber === 'AB00000050' && r.formatCode === '35'));
    const result = check(PERIOD, { records });
    expect(result.problems.map((p) => p.code)).toEqual(['MISSING', 'TOTAL_MISMATCH', 'TOTAL_MISMATCH', 'TOTAL_MISMATCH']);
    expect(result.problems.filter((p) => p.code === 'TOTAL_MISMATCH').map((p) => p.field)).toEqual([
      '07.taxable.toBusiness.sales', '07.taxable.toBusiness.tax', '07.counts.issued',
    ]);
  });

  it('assertComplete answers a conflict carrying each problem', () => {
    expect(() => assertComplete(check(PERIOD))).not.toThrow();
    const result = check({ ...PERIOD, invoices: PERIOD.invoices.filter((i) => i.number !== 'AB00000001') });
    let thrown: unknown;
    try {
      assertComplete(result);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'conflict', code: 'MEDIA_FILE.INCOMPLETE', details: [{ code: 'MEDIA_FILE.MISSING' }] });
    expect((thrown as DomainError).message).toContain('AB00000001');
  });
});

type Fate = 'b2b' | 'b2c' | 'voided' | 'skipped' | 'cancelled';

/** Own booklets of one track, each with some numbers handed out and what became of each. */
const ledger = fc
  .uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 })
  .chain((slots) =>
    fc.tuple(
      ...slots.map((slot) =>
        fc.integer({ min: 0, max: BOOKLET_SIZE }).chain((allocated) =>
          fc
            .array(fc.tuple(fc.constantFrom<Fate>('b2b', 'b2c', 'b2c', 'voided', 'skipped', 'cancelled'), fc.integer({ min: 1, max: 100_000 })), { minLength: allocated, maxLength: allocated })
            .map((fates) => ({ start: slot * BOOKLET_SIZE, allocated, fates })),
        ),
      ),
    ),
  );

/** The period as the database would hand it over: invoices from the ledger, blank ranges as the reconciliation computes them. */
function periodFrom(booklets: { start: number; allocated: number; fates: [Fate, number][] }[]) {
  const invoices: FilingInvoice[] = [];
  const usages: BookletUsage[] = booklets.map((b) => {
    b.fates.forEach(([fate, amount], offset) => {
      const number = formatInvoiceNumber('AB', b.start + offset);
      if (fate === 'b2b') invoices.push(invoice(number, { buyerBan: '24549210', salesAmount: amount, taxAmount: Math.round(amount * 0.05) }));
      if (fate === 'b2c') invoices.push(invoice(number, { salesAmount: amount }));
      if (fate === 'voided') invoices.push(invoice(number, { salesAmount: amount, voided: true }));
    });
    const offsets = (...fates: Fate[]) => b.fates.flatMap(([fate], offset) => (fates.includes(fate) ? [offset] : []));
    return {
      bookletId: `b${b.start}`, invoiceType: '07', track: 'AB', start: b.start, thirdParty: false, blankStart: null,
      allocated: b.allocated, used: offsets('b2b', 'b2c', 'voided'), cancelledBlank: offsets('cancelled'),
    };
  });
  const blank = computeBlankRanges(usages, usages.length * BOOKLET_SIZE);
  expect(blank.violations).toEqual([]);
  const filing: PeriodFiling = { ...PERIOD, invoices, allowances: [], blankRanges: blank.ranges };
  return { filing, booklets: usages.map((u) => own('07', u.track, u.start)) };
}

describe('checkCompleteness over any ledger', () => {
  test.prop([ledger])('the file of a consistent period is complete, read back from its text too', (booklets) => {
    const { filing, booklets: filed } = periodFrom(booklets);
    const text = renderMediaFile(buildMediaRecords(filing));
    expect(checkCompleteness(filed, parseMediaFile(text), summarizeSales(filing)).problems).toEqual([]);
  });

  test.prop([ledger, fc.nat()])('an invoice lost from the ledger is named, and nothing else', (booklets, pick) => {
    const { filing, booklets: filed } = periodFrom(booklets);
    fc.pre(filing.invoices.length > 0);
    const lost = filing.invoices[pick % filing.invoices.length];
    const rest = { ...filing, invoices: filing.invoices.filter((i) => i !== lost) };
    const result = checkCompleteness(filed, buildMediaRecords(rest), summarizeSales(rest));
    expect(result.problems).toEqual([expect.objectContaining({ code: 'MISSING', count: 1, numbers: [lost.number] })]);
  });
});
