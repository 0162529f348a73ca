import { fc, test } from '@fast-check/jest';
import { DomainError } from './domain-error';
import { formatPeriodRange, parsePeriod, periodOf, tryParsePeriod } from './period';
import { taipeiDate } from './taipei-time';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('tryParsePeriod', () => {
  test.each([
    '115/01 ~ 115/02',
    '115/01~115/02',
    '115/01  ~  115/02',
    ' 115/01 ~ 115/02 ',
    '115/1 ~ 115/2',
    '115/01 ～ 115/02',
    '11502',
    '202601',
    '202602',
  ])('reads %j as 11502 (Jan–Feb 2026)', (text) => {
    expect(tryParsePeriod(text)).toEqual({ code: '11502', rocYear: 115, endMonth: 2 });
  });

  test.each([
    ['115/11 ~ 115/12', '11512'],
    ['202611', '11512'],
    ['202612', '11512'],
    ['202603', '11504'],
    ['99/05 ~ 99/06', '09906'],
    ['09906', '09906'],
    ['201006', '09906'],
  ])('reads %j as %s', (text, code) => {
    expect(tryParsePeriod(text)?.code).toBe(code);
  });

  test.each([
    ['odd-month canonical code', '11501'],
    ['month 0', '11500'],
    ['month 14', '11514'],
    ['Gregorian month 13', '202613'],
    ['Gregorian month 0', '202600'],
    ['range not one period', '115/01 ~ 115/04'],
    ['range across two periods', '115/02 ~ 115/03'],
    ['range starting on an even month', '115/02 ~ 115/02'],
    ['range of month 13', '115/13 ~ 115/14'],
    ['range with years differing', '114/01 ~ 115/02'],
    ['range across a year end', '114/12 ~ 115/01'],
    ['empty', ''],
    ['garbage', 'next period'],
    ['4 digits', '1152'],
    ['7 digits', '2026010'],
    ['ISO date', '2026-01'],
    ['Gregorian year before ROC 1', '191002'],
  ])('rejects %s (%j)', (_label, text) => {
    expect(tryParsePeriod(text)).toBeUndefined();
  });
});

describe('parsePeriod', () => {
  it('returns the period when readable', () => {
    expect(parsePeriod('115/03 ~ 115/04').code).toBe('11504');
  });

  it('throws a DomainError PERIOD.UNREADABLE naming the field', () => {
    const error = thrown(() => parsePeriod('11501', 'yearMonth'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: 'invalid',
      code: 'PERIOD.UNREADABLE',
      details: [{ field: 'yearMonth', code: 'PERIOD.UNREADABLE' }],
    });
    expect((error as Error).message).toContain('11501');
  });
});

describe('taipeiDate and periodOf (Asia/Taipei, UTC+8)', () => {
  test.each([
    ['2026-02-28T15:59:59Z', [2026, 2, 28], '11502'],
    ['2026-02-28T16:00:00Z', [2026, 3, 1], '11504'],
    ['2026-12-31T15:59:59.999Z', [2026, 12, 31], '11512'],
    ['2026-12-31T16:00:00Z', [2027, 1, 1], '11602'],
    ['2028-02-29T15:59:59Z', [2028, 2, 29], '11702'],
    ['2025-12-31T16:00:00Z', [2026, 1, 1], '11502'],
    ['2010-06-30T16:00:00Z', [2010, 7, 1], '09908'],
  ])('%s is %j in Taipei, period %s', (iso, date, code) => {
    const instant = new Date(iso);
    expect(taipeiDate(instant)).toEqual(date);
    expect(periodOf(instant).code).toBe(code);
  });
});

describe('formatPeriodRange', () => {
  test.each([
    ['11502', '115/01 ~ 115/02'],
    ['11512', '115/11 ~ 115/12'],
    ['09906', '099/05 ~ 099/06'],
  ])('renders %s as %j', (code, text) => {
    expect(formatPeriodRange(parsePeriod(code))).toBe(text);
  });
});

describe('period properties', () => {
  const instants = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  });

  test.prop([instants])('periodOf gives a canonical code that reads back to itself, with an even end month', (instant) => {
    const period = periodOf(instant);
    expect(period.endMonth % 2).toBe(0);
    expect(period.code).toMatch(/^\d{5}$/);
    expect(tryParsePeriod(period.code)).toEqual(period);
    expect(tryParsePeriod(formatPeriodRange(period))).toEqual(period);
  });

  test.prop([instants])('periodOf contains the Taipei date of the instant', (instant) => {
    const [year, month] = taipeiDate(instant);
    const period = periodOf(instant);
    expect(period.rocYear).toBe(year - 1911);
    expect([period.endMonth - 1, period.endMonth]).toContain(month);
    expect(tryParsePeriod(`${year}${String(month).padStart(2, '0')}`)).toEqual(period);
  });
});
