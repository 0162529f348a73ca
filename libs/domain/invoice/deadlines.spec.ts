import { fc, test } from '@fast-check/jest';
import { deadlineState, endOfTaipeiDayAfter, uploadDeadlines } from './deadlines';

const HOUR = 3600 * 1000;
/** 2026-03-10 23:30 Asia/Taipei. */
const lateEvening = new Date('2026-03-10T23:30:00+08:00');

describe('uploadDeadlines', () => {
  it('B2C issued 2026-03-10 23:30 Taipei: due 48 h later, legal limit end of 2026-03-12 Taipei', () => {
    const d = uploadDeadlines(lateEvening, false);
    expect(d.dueAt.toISOString()).toBe(new Date('2026-03-12T23:30:00+08:00').toISOString());
    expect(d.legalDueAt.toISOString()).toBe(new Date('2026-03-12T23:59:59.999+08:00').toISOString());
    expect(d.warnAt.toISOString()).toBe(new Date('2026-03-12T15:30:00+08:00').toISOString());
  });

  it('B2B issued 2026-03-10 23:30 Taipei: due 7 days later, legal limit end of 2026-03-17 Taipei', () => {
    const d = uploadDeadlines(lateEvening, true);
    expect(d.dueAt.toISOString()).toBe(new Date('2026-03-17T23:30:00+08:00').toISOString());
    expect(d.legalDueAt.toISOString()).toBe(new Date('2026-03-17T23:59:59.999+08:00').toISOString());
  });

  it('counts days in Taipei, not UTC: 00:10 Taipei is the previous day in UTC', () => {
    const d = uploadDeadlines(new Date('2026-03-11T00:10:00+08:00'), false);
    expect(d.legalDueAt.toISOString()).toBe(new Date('2026-03-13T23:59:59.999+08:00').toISOString());
  });

  it('crosses month and year ends', () => {
    expect(uploadDeadlines(new Date('2026-12-31T12:00:00+08:00'), false).legalDueAt.toISOString()).toBe(
      new Date('2027-01-02T23:59:59.999+08:00').toISOString(),
    );
    expect(uploadDeadlines(new Date('2028-02-27T12:00:00+08:00'), true).legalDueAt.toISOString()).toBe(
      new Date('2028-03-05T23:59:59.999+08:00').toISOString(),
    );
  });

  it('takes the warning lead time', () => {
    const d = uploadDeadlines(lateEvening, false, 2 * HOUR);
    expect(d.dueAt.getTime() - d.warnAt.getTime()).toBe(2 * HOUR);
  });

  it('refuses an invalid date', () => {
    expect(() => uploadDeadlines(new Date(Number.NaN), false)).toThrow(RangeError);
  });

  const instants = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });

  test.prop([instants, fc.boolean()])('due time is never after the legal limit, 2000–2100', (issuedAt, b2b) => {
    const d = uploadDeadlines(issuedAt, b2b);
    expect(d.dueAt.getTime()).toBeLessThanOrEqual(d.legalDueAt.getTime());
    expect(d.warnAt.getTime()).toBeLessThan(d.dueAt.getTime());
    expect(d.dueAt.getTime()).toBeGreaterThan(issuedAt.getTime());
  });

  test.prop([instants, fc.boolean()])('the legal limit is the last millisecond of a Taipei day', (issuedAt, b2b) => {
    const legal = uploadDeadlines(issuedAt, b2b).legalDueAt.getTime();
    expect((legal + 1 + 8 * HOUR) % (24 * HOUR)).toBe(0);
    const days = b2b ? 7 : 2;
    // Between `days` and `days + 1` whole days after issue.
    expect(legal - issuedAt.getTime()).toBeGreaterThanOrEqual(days * 24 * HOUR);
    expect(legal - issuedAt.getTime()).toBeLessThan((days + 1) * 24 * HOUR);
  });
});

describe('endOfTaipeiDayAfter', () => {
  it('0 days is the end of the same Taipei day', () => {
    expect(endOfTaipeiDayAfter(lateEvening, 0).toISOString()).toBe('2026-03-10T15:59:59.999Z');
  });
});

describe('deadlineState', () => {
  const d = uploadDeadlines(lateEvening, false);
  const at = (offset: number, from: Date) => new Date(from.getTime() + offset);
  test.each([
    ['long before the warning', at(-1, d.warnAt), 'on_time'],
    ['at the warning', d.warnAt, 'due_soon'],
    ['at the due time', d.dueAt, 'due_soon'],
    ['just after the due time', at(1, d.dueAt), 'overdue'],
    ['at the legal limit', d.legalDueAt, 'overdue'],
    ['just after the legal limit', at(1, d.legalDueAt), 'past_legal'],
  ])('%s → %s', (_name, now, state) => {
    expect(deadlineState(now, d)).toBe(state);
  });
});
