import { tryParsePeriod } from '../period';
import { fromTaipei } from '../taipei-time';
import { blankReportTimes, scheduledRunOf } from './blank-report-calendar';

describe('blank report calendar', () => {
  it('can be reported from the 1st, prepares on the 5th, uploads on the 6th at 06:00, and is due by the end of the 10th (Taipei)', () => {
    expect(blankReportTimes(tryParsePeriod('11502')!)).toEqual({
      reportableFrom: fromTaipei(2026, 3, 1),
      prepareAt: fromTaipei(2026, 3, 5),
      uploadAt: fromTaipei(2026, 3, 6, 6),
      lateWarnAt: fromTaipei(2026, 3, 8),
      legalDueAt: new Date(fromTaipei(2026, 3, 11).getTime() - 1),
    });
    expect(blankReportTimes(tryParsePeriod('11412')!).uploadAt).toEqual(fromTaipei(2026, 1, 6, 6));
  });

  it('odd months report the period just closed, even months check the running one', () => {
    expect(scheduledRunOf(fromTaipei(2026, 3, 5))).toEqual({ period: tryParsePeriod('11502'), mode: 'report' });
    expect(scheduledRunOf(fromTaipei(2026, 1, 5))).toEqual({ period: tryParsePeriod('11412'), mode: 'report' });
    expect(scheduledRunOf(fromTaipei(2026, 4, 5))).toEqual({ period: tryParsePeriod('11504'), mode: 'check' });
  });
});
