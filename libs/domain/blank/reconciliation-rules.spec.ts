import { DomainError } from '../domain-error';
import { blankReportTimes } from './blank-report-calendar';
import { RunFacts, checkApprove, checkHold, checkPeriodEnded, checkRelease } from './reconciliation-rules';
import { parsePeriod } from '../period';

const draft: RunFacts = { period: '11510', mode: 'report', stage: 'draft', violations: 0, reported: false };
const codeOf = (rule: () => void) => {
  try {
    rule();
  } catch (error) {
    return (error as DomainError).code;
  }
  return 'allowed';
};

describe('reconciliation rules', () => {
  const { reportableFrom } = blankReportTimes(parsePeriod('11512'));

  it('a period can be reported from the first day after it, Taipei time, and not a millisecond earlier', () => {
    expect(reportableFrom.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(codeOf(() => checkPeriodEnded('11512', reportableFrom, new Date(reportableFrom.getTime() - 1)))).toBe('RECONCILIATION.PERIOD_NOT_ENDED');
    expect(() => checkPeriodEnded('11512', reportableFrom, new Date('2026-12-07T04:00:00Z'))).toThrow('can be reported from 2027-01-01 (Taipei)');
    expect(codeOf(() => checkPeriodEnded('11512', reportableFrom, reportableFrom))).toBe('allowed');
  });

  it.each<[string, Partial<RunFacts>, string]>([
    ['a draft', {}, 'allowed'],
    ['a period not ended', { reportableFrom: reportableFrom.toISOString(), now: '2026-12-07T00:00:00Z', period: '11512' }, 'RECONCILIATION.PERIOD_NOT_ENDED'],
    ['a check', { mode: 'check' }, 'RECONCILIATION.CHECK_ONLY'],
    ['a held run', { stage: 'held', hold: { by: '陳會計', at: '2026-11-05T01:00:00Z', reason: '等待門市回報' } }, 'RECONCILIATION.HELD'],
    ['nothing to report', { stage: 'nothing_to_report' }, 'RECONCILIATION.NOTHING_TO_REPORT'],
    ['violations', { violations: 2 }, 'RECONCILIATION.VIOLATIONS'],
    ['an uploaded run', { reported: true, stage: 'sent' }, 'RECONCILIATION.ALREADY_UPLOADED'],
  ])('approve of %s: %s', (_, facts, code) => {
    expect(codeOf(() => checkApprove({ ...draft, ...facts }))).toBe(code);
  });

  it('a held run names who held it, when and why; only a held run can be released; nothing to report cannot be held', () => {
    const hold = { by: '陳會計', at: '2026-11-05T01:00:00Z', reason: '等待門市回報' };
    expect(() => checkApprove({ ...draft, stage: 'held', hold })).toThrow(/held by 陳會計 at 2026-11-05T01:00:00Z: 等待門市回報/);
    expect(codeOf(() => checkRelease({ ...draft, hold }))).toBe('allowed');
    expect(codeOf(() => checkRelease(draft))).toBe('RECONCILIATION.NOT_HELD');
    expect(codeOf(() => checkHold({ ...draft, stage: 'nothing_to_report' }))).toBe('RECONCILIATION.NOTHING_TO_REPORT');
  });
});
