import { Period, periodOf } from '../period';
import { fromTaipei, taipeiParts } from '../taipei-time';

const ROC_OFFSET = 1911;

/** Calendar month (Gregorian year, 1..12) following a period's last month. */
function monthAfter(period: Period): [number, number] {
  const year = period.rocYear + ROC_OFFSET;
  return period.endMonth === 12 ? [year + 1, 1] : [year, period.endMonth + 1];
}

export interface BlankReportTimes {
  /** The period has ended: the 1st of the month after it, 00:00 Taipei. No blank report before this. */
  reportableFrom: Date;
  /** Check and prepare: the 5th of the month after the period, 00:00 Taipei. */
  prepareAt: Date;
  /** Upload through Turnkey: the 6th at 06:00 Taipei (the vendor practice in the seed). */
  uploadAt: Date;
  /** Warn that no accepted upload exists yet: the 8th, 00:00 Taipei, three days before the limit. */
  lateWarnAt: Date;
  /** Legal limit: within 10 days after the period ends, i.e. to the end of the 10th, Taipei. */
  legalDueAt: Date;
}

export function blankReportTimes(period: Period): BlankReportTimes {
  const [year, month] = monthAfter(period);
  return {
    reportableFrom: fromTaipei(year, month, 1),
    prepareAt: fromTaipei(year, month, 5),
    uploadAt: fromTaipei(year, month, 6, 6),
    lateWarnAt: fromTaipei(year, month, 8),
    legalDueAt: new Date(fromTaipei(year, month, 11).getTime() - 1),
  };
}

/**
 * What the monthly run on the 5th does: in an odd month the period just closed is reported; in an even month the
 * running period is only checked (mid-period), nothing is uploaded.
 */
export function scheduledRunOf(instant: Date): { period: Period; mode: 'report' | 'check' } {
  const { year, month } = taipeiParts(instant);
  if (month % 2 === 0) return { period: periodOf(instant), mode: 'check' };
  const previous = month === 1 ? fromTaipei(year - 1, 12, 15) : fromTaipei(year, month - 1, 15);
  return { period: periodOf(previous), mode: 'report' };
}
