/** Taiwan has kept UTC+8 without daylight saving since 1979, so a fixed offset is exact. */
export const TAIPEI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export interface TaipeiParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The wall-clock reading in Asia/Taipei of an instant. */
export function taipeiParts(instant: Date): TaipeiParts {
  if (!Number.isFinite(instant.getTime())) throw new RangeError('not a valid date');
  const t = new Date(instant.getTime() + TAIPEI_OFFSET_MS);
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
    millisecond: t.getUTCMilliseconds(),
  };
}

/** The calendar date in Asia/Taipei of an instant, as [year, month (1..12), day]. */
export function taipeiDate(instant: Date): [number, number, number] {
  const { year, month, day } = taipeiParts(instant);
  return [year, month, day];
}

/** The instant of a Taipei wall-clock time; fields overflow as Date.UTC lets them (day 32 is the 1st of next month). */
export function fromTaipei(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - TAIPEI_OFFSET_MS);
}

/** 00:00 Asia/Taipei of the instant's day. */
export function startOfTaipeiDay(instant: Date): Date {
  return new Date(Math.floor((instant.getTime() + TAIPEI_OFFSET_MS) / DAY_MS) * DAY_MS - TAIPEI_OFFSET_MS);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyyMMdd`, the Asia/Taipei calendar date of an instant. */
export function taipeiDay(instant: Date): string {
  const p = taipeiParts(instant);
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}`;
}

/** `yyyy-MM-dd`, the Asia/Taipei calendar date as people write it. */
export function taipeiIsoDay(instant: Date): string {
  const p = taipeiParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** `HH:mm:ss`, the Asia/Taipei wall-clock time of an instant. */
export function taipeiClock(instant: Date): string {
  const p = taipeiParts(instant);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** `yyyyMMddHHmmssSSS` in Asia/Taipei, the format of Turnkey's MESSAGE_DTS and EVENTDTS columns. */
export function taipeiTimestamp(instant: Date): string {
  const p = taipeiParts(instant);
  return `${taipeiDay(instant)}${pad(p.hour)}${pad(p.minute)}${pad(p.second)}${pad(p.millisecond, 3)}`;
}

/** Inverse of `taipeiTimestamp`; tolerates a value without milliseconds (14 digits). */
export function parseTaipeiTimestamp(value: string): Date {
  const v = value.trim();
  if (!/^\d{14}(\d{3})?$/.test(v)) throw new Error(`not a Turnkey timestamp (yyyyMMddHHmmssSSS): '${value}'`);
  const n = (from: number, to: number) => Number(v.slice(from, to));
  return fromTaipei(n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14), v.length === 17 ? n(14, 17) : 0);
}
