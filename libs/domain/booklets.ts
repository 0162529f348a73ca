/** Invoice numbers come from the MOF in booklets (本) of 50: xx00–xx49 or xx50–xx99. */
export const BOOKLET_SIZE = 50;

export interface NumberRange {
  start: number;
  end: number;
}

export function isWholeBooklets(range: NumberRange): boolean {
  return range.start % BOOKLET_SIZE === 0 && (range.end + 1) % BOOKLET_SIZE === 0 && range.end > range.start;
}

/** Splits a range of whole booklets into its booklets, ascending. */
export function splitIntoBooklets(range: NumberRange): NumberRange[] {
  if (!isWholeBooklets(range)) throw new RangeError(`${range.start}–${range.end} is not whole booklets`);
  const booklets: NumberRange[] = [];
  for (let start = range.start; start <= range.end; start += BOOKLET_SIZE) {
    booklets.push({ start, end: start + BOOKLET_SIZE - 1 });
  }
  return booklets;
}

export function rangesOverlap(a: NumberRange, b: NumberRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** `AB12345678`: the 2-letter track (字軌) and the 8-digit number. */
export function formatInvoiceNumber(track: string, number: number): string {
  return `${track}${String(number).padStart(8, '0')}`;
}
