import { BlankRange, InvoiceTypeCode } from '../blank/compute-blank-ranges';
import { formatInvoiceNumber } from '../booklets';
import { DomainError, ErrorDetail } from '../domain-error';
import { taipeiDate } from '../taipei-time';
import { FilingAllowance, FilingInvoice, PeriodFiling, isValidTaxRegistrationNumber } from './filing-input';

/**
 * 格式代號 of the sales side: 31 三聯式、電子計算機發票, 32 二聯式, 33 returns/allowances of 31 and 35 (e-invoices under
 * general tax, to any buyer), 34 returns/allowances of 32 and 36, 35 三聯式收銀機發票 and e-invoices under general tax,
 * 36 免用統一發票, 37 special tax, 38 returns/allowances of 37. This service writes 33, 35, 37 and 38.
 */
export type MediaFormatCode = '31' | '32' | '33' | '34' | '35' | '36' | '37' | '38';

/** 課稅別: 1 taxable, 2 zero-rated, 3 exempt, F voided invoice, D blank (unused) numbers. */
export type MediaTaxClass = '1' | '2' | '3' | 'F' | 'D';

/** One 81-byte record of the media file, field by field; amounts are whole dollars. */
export interface MediaRecord {
  formatCode: MediaFormatCode;
  /** 3–11 */
  taxRegistrationNumber: string;
  /** 12–18, 1-based, in file order. */
  serial: number;
  /** 19–23, ROC `yyyMM`: the invoice's or allowance's own month; a blank range's is the period's. */
  yearMonth: string;
  /** 24–31; null writes spaces (B2C, voided, a single blank number). */
  buyerBan: string | null;
  /** A blank range of more than one number: its last number, written at 24–31, with 彙加 mark `A` at 80. */
  blankEnd: number | null;
  /** 32–39 */
  sellerBan: string;
  /** 40–49: track + number; a blank range's first number; the original invoice of an allowance. */
  invoiceNumber: string;
  /** 50–61 */
  salesAmount: number;
  /** 62 */
  taxClass: MediaTaxClass;
  /** 63–72 */
  taxAmount: number;
  /** 81, zero-rated records only. */
  customsMark: '1' | '2' | null;
}

const SALES_FORMAT: Record<InvoiceTypeCode, MediaFormatCode> = { '07': '35', '08': '37' };
const RETURNS_FORMAT: Record<InvoiceTypeCode, MediaFormatCode> = { '07': '33', '08': '38' };
const RETURN_FORMATS: ReadonlySet<MediaFormatCode> = new Set(['33', '34', '38']);

export const MAX_SALES_AMOUNT = 999_999_999_999;
export const MAX_TAX_AMOUNT = 9_999_999_999;
export const MAX_SERIAL = 9_999_999;

/** Returns and allowances (33, 34, 38) refer to an invoice; every other record files a number of the period. */
export function isReturnFormat(code: MediaFormatCode): boolean {
  return RETURN_FORMATS.has(code);
}

export function invoiceTypeOfFormat(code: MediaFormatCode): InvoiceTypeCode {
  return code === '37' || code === '38' ? '08' : '07';
}

/** ROC `yyyMM` of an instant's date in Asia/Taipei. */
export function rocYearMonth(instant: Date): string {
  const [year, month] = taipeiDate(instant);
  return `${String(year - 1911).padStart(3, '0')}${String(month).padStart(2, '0')}`;
}

interface Draft {
  sortKey: string;
  record: MediaRecord;
}

interface Part {
  taxClass: '1' | '2' | '3';
  salesAmount: number;
  taxAmount: number;
}

/** What a record files: a tax class and its amounts. */
type Filed = Pick<MediaRecord, 'taxClass' | 'salesAmount' | 'taxAmount'>;
const VOIDED: Filed = { taxClass: 'F', salesAmount: 0, taxAmount: 0 };
const BLANK: Filed = { taxClass: 'D', salesAmount: 0, taxAmount: 0 };

/**
 * The records of a period's sales side, in file order with their serials: per format code, the invoices by number
 * (a voided one as one `F` record; otherwise one record per tax class it has amounts in, so a mixed invoice is split),
 * then the blank ranges by first number; allowances by date and number, one record per tax class.
 *
 * A B2C invoice's taxable sale is written tax-included with tax 0, as its MIG Amount block carries it; a B2B one
 * untaxed with its tax. Allowances are written untaxed with their tax, to business and consumer buyers alike (33).
 * Throws a conflict naming every invoice, allowance or range the file cannot be made of.
 */
export function buildMediaRecords(filing: PeriodFiling): MediaRecord[] {
  const errors: ErrorDetail[] = [];
  const { seller, period } = filing;
  const taxRegistrationNumber = seller.taxRegistrationNumber?.trim() ?? '';
  if (taxRegistrationNumber === '') {
    throw new DomainError('conflict', 'MEDIA_FILE.NO_TAX_REGISTRATION_NUMBER', `seller ${seller.ban} has no tax registration number (稅籍編號)`, [
      { field: 'taxRegistrationNumber', code: 'MEDIA_FILE.NO_TAX_REGISTRATION_NUMBER', message: 'enter the seller\'s 9-digit tax registration number first' },
    ]);
  }
  if (!isValidTaxRegistrationNumber(taxRegistrationNumber)) {
    errors.push({ field: 'taxRegistrationNumber', code: 'MEDIA_FILE.TAX_REGISTRATION_NUMBER', message: 'the tax registration number must be 9 digits' });
  }
  if (!/^\d{8}$/.test(seller.ban)) errors.push({ field: 'sellerBan', code: 'MEDIA_FILE.SELLER_BAN', message: 'the seller BAN must be 8 digits' });
  // Every record is one literal of one shape, numbered once sorted: a period has hundreds of thousands of them, and
  // spreading a shared head into each cost more than the rest of the file together.
  const record = (formatCode: MediaFormatCode, yearMonth: string, invoiceNumber: string, buyerBan: string | null, blankEnd: number | null, filed: Filed, customsMark: MediaRecord['customsMark']): MediaRecord => ({
    formatCode,
    taxRegistrationNumber,
    serial: 0,
    yearMonth,
    buyerBan,
    blankEnd,
    sellerBan: seller.ban,
    invoiceNumber,
    salesAmount: filed.salesAmount,
    taxClass: filed.taxClass,
    taxAmount: filed.taxAmount,
    customsMark,
  });
  const drafts: Draft[] = [];

  for (const invoice of filing.invoices) {
    const yearMonth = rocYearMonth(invoice.issuedAt);
    const parts = checkInvoice(invoice, yearMonth, period.code, errors);
    const formatCode = SALES_FORMAT[invoice.invoiceType];
    const sortKey = `${formatCode}0${invoice.number}`;
    if (invoice.voided) {
      drafts.push({ sortKey, record: record(formatCode, yearMonth, invoice.number, null, null, VOIDED, null) });
      continue;
    }
    for (const part of parts) {
      const customsMark = part.taxClass === '2' ? invoice.customsClearanceMark : null;
      drafts.push({ sortKey: `${sortKey}${part.taxClass}`, record: record(formatCode, yearMonth, invoice.number, invoice.buyerBan, null, part, customsMark) });
    }
  }

  for (const allowance of filing.allowances) {
    const yearMonth = rocYearMonth(allowance.allowanceDate);
    const parts = checkAllowance(allowance, yearMonth, period.code, errors);
    const formatCode = RETURNS_FORMAT[allowance.invoiceType];
    const sortKey = `${formatCode}0${allowance.allowanceDate.toISOString()}${allowance.allowanceNumber}`;
    for (const part of parts) {
      const customsMark = part.taxClass === '2' ? allowance.customsClearanceMark : null;
      drafts.push({ sortKey: `${sortKey}${part.taxClass}`, record: record(formatCode, yearMonth, allowance.invoiceNumber, allowance.buyerBan, null, part, customsMark) });
    }
  }

  for (const range of filing.blankRanges) {
    if (!checkBlankRange(range, errors)) continue;
    const formatCode = SALES_FORMAT[range.invoiceType];
    const invoiceNumber = formatInvoiceNumber(range.track, range.begin);
    // A single blank number is filed on its own (逐筆), without an end number or 彙加 mark.
    const blankEnd = range.end > range.begin ? range.end : null;
    drafts.push({ sortKey: `${formatCode}1${invoiceNumber}`, record: record(formatCode, period.code, invoiceNumber, null, blankEnd, BLANK, null) });
  }

  if (drafts.length > MAX_SERIAL) {
    errors.push({ code: 'MEDIA_FILE.TOO_MANY_RECORDS', message: `${drafts.length} records exceed the 7-digit serial number` });
  }
  if (errors.length > 0) {
    throw new DomainError('conflict', 'MEDIA_FILE.UNFILEABLE', `the media file cannot be made: ${errors.slice(0, 5).map((e) => e.message).join('; ')}`, errors);
  }
  drafts.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return drafts.map((draft, i) => {
    draft.record.serial = i + 1;
    return draft.record;
  });
}

function amountProblem(value: number, max: number): string | undefined {
  if (!Number.isInteger(value) || value < 0) return 'must be a whole number of dollars, 0 or more';
  if (value > max) return `exceeds the file's ${String(max).length}-digit field`;
  return undefined;
}

function checkAmounts(subject: string, amounts: Record<string, number>, errors: ErrorDetail[]): void {
  // for…in, not Object.entries: no arrays made for every amount of every invoice.
  for (const field in amounts) {
    const value = amounts[field];
    const problem = amountProblem(value, field === 'taxAmount' ? MAX_TAX_AMOUNT : MAX_SALES_AMOUNT);
    if (problem) errors.push({ field: `${subject}.${field}`, code: 'MEDIA_FILE.AMOUNT', message: `${subject} ${field} ${value} ${problem}` });
  }
}

function checkParty(subject: string, number: string, buyerBan: string | null, errors: ErrorDetail[]): void {
  if (!/^[A-Z]{2}\d{8}$/.test(number)) {
    errors.push({ field: `${subject}.number`, code: 'MEDIA_FILE.INVOICE_NUMBER', message: `${subject}: invoice number '${number}' is not 2 letters and 8 digits` });
  }
  if (buyerBan !== null && !/^\d{8}$/.test(buyerBan)) {
    errors.push({ field: `${subject}.buyerBan`, code: 'MEDIA_FILE.BUYER_BAN', message: `${subject}: buyer BAN '${buyerBan}' is not 8 digits` });
  }
}

/** The period (`yyyMM`, even month) a record's `yyyMM` falls in. */
function periodCodeOf(yearMonth: string): string {
  const month = Number(yearMonth.slice(3));
  return month % 2 === 0 ? yearMonth : `${yearMonth.slice(0, 3)}${String(month + 1).padStart(2, '0')}`;
}

function checkInPeriod(subject: string, yearMonth: string, periodCode: string, errors: ErrorDetail[]): void {
  const own = periodCodeOf(yearMonth);
  if (own !== periodCode) {
    errors.push({ field: subject, code: 'MEDIA_FILE.OTHER_PERIOD', message: `${subject} is dated in period ${own}, not ${periodCode}` });
  }
}

/** The tax classes an invoice is filed under, with the amounts the file writes. */
function checkInvoice(invoice: FilingInvoice, yearMonth: string, periodCode: string, errors: ErrorDetail[]): Part[] {
  const subject = `invoice ${invoice.number}`;
  checkParty(subject, invoice.number, invoice.buyerBan, errors);
  checkInPeriod(subject, yearMonth, periodCode, errors);
  const { salesAmount, zeroTaxSalesAmount, freeTaxSalesAmount, taxAmount } = invoice;
  checkAmounts(subject, { salesAmount, zeroTaxSalesAmount, freeTaxSalesAmount, taxAmount }, errors);
  if (invoice.voided) return [];
  const b2c = invoice.buyerBan === null;
  const parts: Part[] = [];
  if (salesAmount > 0 || taxAmount > 0) {
    parts.push(b2c ? { taxClass: '1', salesAmount: salesAmount + taxAmount, taxAmount: 0 } : { taxClass: '1', salesAmount, taxAmount });
  }
  if (zeroTaxSalesAmount > 0) parts.push({ taxClass: '2', salesAmount: zeroTaxSalesAmount, taxAmount: 0 });
  if (freeTaxSalesAmount > 0) parts.push({ taxClass: '3', salesAmount: freeTaxSalesAmount, taxAmount: 0 });
  if (parts.length === 0) parts.push({ taxClass: invoice.taxType === '9' ? '1' : invoice.taxType, salesAmount: 0, taxAmount: 0 });
  if (parts.some((p) => p.taxClass === '2') && invoice.customsClearanceMark === null) {
    errors.push({ field: `${subject}.customsClearanceMark`, code: 'MEDIA_FILE.CUSTOMS_MARK', message: `${subject} is zero-rated but has no customs clearance mark (1 or 2)` });
  }
  checkSpecialTax(subject, invoice.invoiceType, parts, errors);
  return parts;
}

function checkAllowance(allowance: FilingAllowance, yearMonth: string, periodCode: string, errors: ErrorDetail[]): Part[] {
  const subject = `allowance ${allowance.allowanceNumber}`;
  checkParty(subject, allowance.invoiceNumber, allowance.buyerBan, errors);
  checkInPeriod(subject, yearMonth, periodCode, errors);
  const { taxableAmount, zeroTaxAmount, freeTaxAmount, taxAmount } = allowance;
  checkAmounts(subject, { taxableAmount, zeroTaxAmount, freeTaxAmount, taxAmount }, errors);
  const parts: Part[] = [];
  if (taxableAmount > 0 || taxAmount > 0) parts.push({ taxClass: '1', salesAmount: taxableAmount, taxAmount });
  if (zeroTaxAmount > 0) parts.push({ taxClass: '2', salesAmount: zeroTaxAmount, taxAmount: 0 });
  if (freeTaxAmount > 0) parts.push({ taxClass: '3', salesAmount: freeTaxAmount, taxAmount: 0 });
  if (parts.some((p) => p.taxClass === '2') && allowance.customsClearanceMark === null) {
    errors.push({ field: `${subject}.customsClearanceMark`, code: 'MEDIA_FILE.CUSTOMS_MARK', message: `${subject} allows a zero-rated sale but has no customs clearance mark` });
  }
  checkSpecialTax(subject, allowance.invoiceType, parts, errors);
  return parts;
}

/** Special-tax (08) taxable records need the special tax rate at byte 79, which no invoice here carries. */
function checkSpecialTax(subject: string, invoiceType: InvoiceTypeCode, parts: Part[], errors: ErrorDetail[]): void {
  if (invoiceType === '08' && parts.some((p) => p.taxClass === '1')) {
    errors.push({ field: subject, code: 'MEDIA_FILE.SPECIAL_TAX_RATE', message: `${subject} is a taxable special-tax (08) sale, whose special tax rate is not recorded` });
  }
}

function checkBlankRange(range: BlankRange, errors: ErrorDetail[]): boolean {
  const ok = /^[A-Z]{2}$/.test(range.track) && Number.isInteger(range.begin) && Number.isInteger(range.end) && range.begin >= 0 && range.end <= 99_999_999 && range.begin <= range.end;
  if (!ok) {
    errors.push({ field: 'blankRanges', code: 'MEDIA_FILE.BLANK_RANGE', message: `blank range ${range.track} ${range.begin}–${range.end} is not a range of one track` });
  }
  return ok;
}
