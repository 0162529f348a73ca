import { fc, test } from '@fast-check/jest';
import { Period, filingDeadline, tryParsePeriod } from './period';
import { taipeiDate } from './taipei-time';

const HOUR = 3600 * 1000;

function period(text: string): Period {
  const parsed = tryParsePeriod(text);
  if (!parsed) throw new Error(`test setup: cannot read period ${text}`);
  return parsed;
}

/** The wall-clock time in Taipei (UTC+8, no daylight saving since 1979) of an instant. */
function taipeiClock(instant: Date): [number, number, number, number] {
  const shifted = new Date(instant.getTime() + 8 * HOUR);
  return [shifted.getUTCHours(), shifted.getUTCMinutes(), shifted.getUTCSeconds(), shifted.getUTCMilliseconds()];
}

describe('filingDeadline', () => {
  test.each([
    ['11502', '2026-03-15T15:59:59.999Z'],
    ['11504', '2026-05-15T15:59:59.999Z'],
    ['11510', '2026-11-15T15:59:59.999Z'],
    ['11512', '2027-01-15T15:59:59.999Z'],
    ['11412', '2026-01-15T15:59:59.999Z'],
    ['11302', '2024-03-15T15:59:59.999Z'],
  ])('period %s → %s', (code, expected) => {
    expect(filingDeadline(period(code)).toISOString()).toBe(expected);
  });

  test.each(['115/01 ~ 115/02', '202601', '202602'])('is the same for every notation of period 11502 (%s)', (text) => {
    expect(filingDeadline(period(text)).toISOString()).toBe('2026-03-15T15:59:59.999Z');
  });

  it('is the last millisecond of the 15th in Taipei: one millisecond later is the 16th', () => {
    const deadline = filingDeadline(period('11502'));
    expect(taipeiDate(deadline)).toEqual([2026, 3, 15]);
    expect(taipeiDate(new Date(deadline.getTime() + 1))).toEqual([2026, 3, 16]);
  });

  const periodArb = fc
    .tuple(fc.integer({ min: 100, max: 200 }), fc.constantFrom(2, 4, 6, 8, 10, 12))
    .map(([rocYear, endMonth]) => period(`${rocYear}${String(endMonth).padStart(2, '0')}`));

  test.prop([periodArb], { numRuns: 300 })(
    'falls on the 15th of the month after the period, at 23:59:59.999 Taipei time, after the period’s last day',
    (p) => {
      const deadline = filingDeadline(p);
      const gregorian = p.rocYear + 1911;
      const [nextYear, nextMonth] = p.endMonth === 12 ? [gregorian + 1, 1] : [gregorian, p.endMonth + 1];
      expect(taipeiDate(deadline)).toEqual([nextYear, nextMonth, 15]);
      expect(taipeiClock(deadline)).toEqual([23, 59, 59, 999]);
      expect(taipeiDate(new Date(deadline.getTime() + 1))).toEqual([nextYear, nextMonth, 16]);
      // The period's last day ends at midnight Taipei time starting the 1st of the next month.
      const periodEnd = Date.UTC(gregorian, p.endMonth, 1) - 8 * HOUR;
      expect(deadline.getTime()).toBeGreaterThan(periodEnd);
      expect(deadline.getTime() - periodEnd).toBe(15 * 24 * HOUR - 1);
    },
  );

  it('holds for every period of ROC years 100..200 (exhaustive)', () => {
    for (let rocYear = 100; rocYear <= 200; rocYear++) {
      for (const endMonth of [2, 4, 6, 8, 10, 12]) {
        const p = period(`${rocYear}${String(endMonth).padStart(2, '0')}`);
        const deadline = filingDeadline(p);
        const [year, month, day] = taipeiDate(deadline);
        expect([year, month, day]).toEqual(endMonth === 12 ? [rocYear + 1912, 1, 15] : [rocYear + 1911, endMonth + 1, 15]);
        expect(taipeiClock(deadline)).toEqual([23, 59, 59, 999]);
      }
    }
  });
});
