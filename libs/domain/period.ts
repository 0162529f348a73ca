import { DomainError } from './domain-error';
import { fromTaipei, taipeiDate } from './taipei-time';

/** A bimonthly filing period, identified by its canonical code `yyyMM` (ROC year + even month). */
export interface Period {
  code: string;
  rocYear: number;
  /** The even month ending the period, 2..12. */
  endMonth: number;
}

const ROC_OFFSET = 1911;

function makePeriod(rocYear: number, endMonth: number): Period {
  return { code: `${String(rocYear).padStart(3, '0')}${String(endMonth).padStart(2, '0')}`, rocYear, endMonth };
}

function fromMonth(rocYear: number, month: number): Period | undefined {
  if (!Number.isInteger(rocYear) || rocYear < 1 || rocYear > 999 || month < 1 || month > 12) return undefined;
  return makePeriod(rocYear, month % 2 === 0 ? month : month + 1);
}

/**
 * Reads every notation the MOF and users write a period in: `115/01 ~ 115/02` (the MOF CSV, spacing varies),
 * `11502` (canonical), and Gregorian `YYYYMM` naming either month of the period. Returns undefined when unreadable.
 */
export function tryParsePeriod(input: string): Period | undefined {
  const text = input.trim();
  const range = /^(\d{2,3})\s*\/\s*(\d{1,2})\s*[~～]\s*(\d{2,3})\s*\/\s*(\d{1,2})$/.exec(text);
  if (range) {
    const [fromYear, fromMonthNo, toYear, toMonth] = range.slice(1).map(Number);
    if (fromYear !== toYear || fromMonthNo % 2 !== 1 || toMonth !== fromMonthNo + 1) return undefined;
    return fromMonth(toYear, toMonth);
  }
  if (/^\d{5}$/.test(text)) {
    const month = Number(text.slice(3));
    return month % 2 === 0 ? fromMonth(Number(text.slice(0, 3)), month) : undefined;
  }
  if (/^\d{6}$/.test(text)) {
    const year = Number(text.slice(0, 4));
    return year > ROC_OFFSET ? fromMonth(year - ROC_OFFSET, Number(text.slice(4))) : undefined;
  }
  return undefined;
}

export function parsePeriod(input: string, field = 'period'): Period {
  const period = tryParsePeriod(input);
  if (!period) {
    throw new DomainError('invalid', 'PERIOD.UNREADABLE', `${field}: cannot read period '${input}'`, [
      { field, code: 'PERIOD.UNREADABLE', message: "use 11502, 115/01 ~ 115/02, or 202601" },
    ]);
  }
  return period;
}

/** The period containing an instant, judged by its date in Asia/Taipei. */
export function periodOf(instant: Date): Period {
  const [year, month] = taipeiDate(instant);
  return makePeriod(year - ROC_OFFSET, month % 2 === 0 ? month : month + 1);
}

/** `115/01 ~ 115/02`, the notation finance staff know from the MOF file. */
export function formatPeriodRange(period: Period): string {
  const year = String(period.rocYear).padStart(3, '0');
  const first = String(period.endMonth - 1).padStart(2, '0');
  return `${year}/${first} ~ ${year}/${String(period.endMonth).padStart(2, '0')}`;
}

/**
 * The period's filing deadline: the 15th of the month after the period ends, to the end of that day in Taipei.
 * After it, a void needs a special approval number (專案作廢).
 */
export function filingDeadline(period: Period): Date {
  const year = period.rocYear + ROC_OFFSET + (period.endMonth === 12 ? 1 : 0);
  const month = period.endMonth === 12 ? 1 : period.endMonth + 1;
  return new Date(fromTaipei(year, month, 16).getTime() - 1);
}
