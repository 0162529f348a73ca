import { MediaFormatCode, MediaRecord, MediaTaxClass } from './media-record';

/** Every record is exactly this many bytes, ASCII, before its line end. */
export const MEDIA_RECORD_LENGTH = 81;
/** The MOF's offline filing program runs on Windows and reads DOS lines. */
export const MEDIA_LINE_END = '\r\n';

const FORMAT_CODES: ReadonlySet<string> = new Set(['31', '32', '33', '34', '35', '36', '37', '38']);
const TAX_CLASSES: ReadonlySet<string> = new Set(['1', '2', '3', 'F', 'D']);

/** `<seller BAN>.TXT`, the name the MOF's filing program looks for. */
export function mediaFileName(sellerBan: string): string {
  return `${sellerBan}.TXT`;
}

function digits(value: number, width: number, field: string): string {
  const text = String(value);
  if (!Number.isInteger(value) || value < 0 || text.length > width) throw new RangeError(`media record: ${field} ${value} does not fit ${width} digits`);
  return text.padStart(width, '0');
}

function exact(value: string, pattern: RegExp, field: string): string {
  if (!pattern.test(value)) throw new RangeError(`media record: ${field} '${value}' must match ${pattern}`);
  return value;
}

/**
 * One record as its 81 bytes: numbers right-aligned and zero-padded, unused text fields spaces; 73 (deduction code),
 * 74–78 and 79 (special tax rate) are blank on the sales side.
 */
export function renderMediaRecord(r: MediaRecord): string {
  if (!FORMAT_CODES.has(r.formatCode)) throw new RangeError(`media record: format code '${r.formatCode}'`);
  if (!TAX_CLASSES.has(r.taxClass)) throw new RangeError(`media record: tax class '${r.taxClass}'`);
  const buyer = r.blankEnd !== null ? digits(r.blankEnd, 8, 'blank range end') : r.buyerBan === null ? ' '.repeat(8) : exact(r.buyerBan, /^\d{8}$/, 'buyer BAN');
  // Joined, not concatenated: a flat string, which the file's join copies at once; a period's worth of concatenated
  // ones took the join twice as long as rendering them.
  return [
    r.formatCode,
    exact(r.taxRegistrationNumber, /^\d{9}$/, 'tax registration number'),
    digits(r.serial, 7, 'serial'),
    exact(r.yearMonth, /^\d{3}(0[1-9]|1[0-2])$/, 'year and month'),
    buyer,
    exact(r.sellerBan, /^\d{8}$/, 'seller BAN'),
    exact(r.invoiceNumber, /^[A-Z]{2}\d{8}$/, 'invoice number'),
    digits(r.salesAmount, 12, 'sales amount'),
    r.taxClass,
    digits(r.taxAmount, 10, 'tax amount'),
    ' ',
    ' '.repeat(5),
    ' ',
    r.blankEnd !== null ? 'A' : ' ',
    r.customsMark ?? ' ',
  ].join('');
}

/** The file's content: every record on its own line, each line ended (the last one too). */
export function renderMediaFile(records: readonly MediaRecord[]): string {
  return records.length === 0 ? '' : records.map(renderMediaRecord).join(MEDIA_LINE_END) + MEDIA_LINE_END;
}

/** Reads one 81-byte record back into its fields; `line` is 1-based, for the message. */
export function parseMediaRecord(text: string, line = 1): MediaRecord {
  const fail = (why: string) => new RangeError(`media file line ${line}: ${why}`);
  if (text.length !== MEDIA_RECORD_LENGTH) throw fail(`${text.length} bytes, not ${MEDIA_RECORD_LENGTH}`);
  if (!/^[\x20-\x7e]*$/.test(text)) throw fail('not printable ASCII');
  const at = (from: number, to: number) => text.slice(from - 1, to);
  const number = (from: number, to: number, field: string) => {
    const value = at(from, to);
    if (!/^\d+$/.test(value)) throw fail(`${field} '${value}' (bytes ${from}–${to}) is not digits`);
    return Number(value);
  };
  const formatCode = at(1, 2);
  const taxClass = at(62, 62);
  if (!FORMAT_CODES.has(formatCode)) throw fail(`format code '${formatCode}'`);
  if (!TAX_CLASSES.has(taxClass)) throw fail(`tax class '${taxClass}'`);
  if (at(73, 79).trim() !== '') throw fail('bytes 73–79 must be blank on the sales side');
  const summaryMark = at(80, 80);
  const customs = at(81, 81);
  if (summaryMark !== ' ' && summaryMark !== 'A') throw fail(`summary mark '${summaryMark}'`);
  if (customs !== ' ' && customs !== '1' && customs !== '2') throw fail(`customs mark '${customs}'`);
  const buyer = at(24, 31);
  const blankRange = summaryMark === 'A';
  if (blankRange && taxClass !== 'D') throw fail('summary mark A on a record that is not blank numbers (D)');
  return {
    formatCode: formatCode as MediaFormatCode,
    taxRegistrationNumber: at(3, 11),
    serial: number(12, 18, 'serial'),
    yearMonth: at(19, 23),
    buyerBan: blankRange || buyer.trim() === '' ? null : buyer,
    blankEnd: blankRange ? number(24, 31, 'blank range end') : null,
    sellerBan: at(32, 39),
    invoiceNumber: at(40, 49),
    salesAmount: number(50, 61, 'sales amount'),
    taxClass: taxClass as MediaTaxClass,
    taxAmount: number(63, 72, 'tax amount'),
    customsMark: customs === ' ' ? null : customs,
  };
}

/** Reads a whole file back (CRLF or LF lines; a final line end is optional). */
export function parseMediaFile(content: string): MediaRecord[] {
  const lines = content.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((text, i) => parseMediaRecord(text, i + 1));
}
