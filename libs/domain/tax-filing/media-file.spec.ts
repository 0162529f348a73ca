import { DomainError } from '../domain-error';
import { parsePeriod } from '../period';
import { fromTaipei } from '../taipei-time';
import { FilingAllowance, FilingInvoice, PeriodFiling } from './filing-input';
import { MEDIA_LINE_END, MEDIA_RECORD_LENGTH, mediaFileName, parseMediaFile, parseMediaRecord, renderMediaFile, renderMediaRecord } from './media-file';
import { buildMediaRecords } from './media-record';

const SELLER = { ban: '12345675', taxRegistrationNumber: '123456789' };
const JAN = fromTaipei(2026, 1, 15, 10);
const FEB = fromTaipei(2026, 2, 27, 23, 30);

const invoice = (over: Partial<FilingInvoice>): FilingInvoice => ({
  number: 'AB00000000', invoiceType: '07', issuedAt: JAN, buyerBan: null, taxType: '1',
  salesAmount: 0, zeroTaxSalesAmount: 0, freeTaxSalesAmount: 0, taxAmount: 0, voided: false, customsClearanceMark: null, ...over,
});

const allowance = (over: Partial<FilingAllowance>): FilingAllowance => ({
  allowanceNumber: 'AL0001', allowanceDate: FEB, invoiceNumber: 'AB00000000', invoiceType: '07', buyerBan: null,
  taxableAmount: 0, zeroTaxAmount: 0, freeTaxAmount: 0, taxAmount: 0, customsClearanceMark: null, ...over,
});

const filing = (over: Partial<PeriodFiling>): PeriodFiling => ({ seller: SELLER, period: parsePeriod('11502'), invoices: [], allowances: [], blankRanges: [], ...over });

/** Bytes `from`–`to` (1-based, inclusive), as the MOF's layout numbers them. */
const bytes = (line: string, from: number, to: number) => line.slice(from - 1, to);

/** Every field of one line, by the layout's byte positions. */
const fields = (line: string) => ({
  format: bytes(line, 1, 2),
  taxRegistration: bytes(line, 3, 11),
  serial: bytes(line, 12, 18),
  yearMonth: bytes(line, 19, 23),
  buyer: bytes(line, 24, 31),
  seller: bytes(line, 32, 39),
  number: bytes(line, 40, 49),
  sales: bytes(line, 50, 61),
  taxClass: bytes(line, 62, 62),
  tax: bytes(line, 63, 72),
  deduction: bytes(line, 73, 73),
  reserved: bytes(line, 74, 78),
  specialRate: bytes(line, 79, 79),
  summaryMark: bytes(line, 80, 80),
  customs: bytes(line, 81, 81),
});

const lines = (f: PeriodFiling) => buildMediaRecords(f).map(renderMediaRecord);
const only = (f: PeriodFiling) => {
  const all = lines(f);
  expect(all).toHaveLength(1);
  return all[0];
};

const COMMON = { taxRegistration: '123456789', seller: '12345675', deduction: ' ', reserved: '     ', specialRate: ' ' };

describe('media file records, byte by byte', () => {
  it('a B2B taxable invoice: buyer BAN, untaxed sales and its tax', () => {
    const line = only(filing({ invoices: [invoice({ buyerBan: '24549210', salesAmount: 1000, taxAmount: 50 })] }));
    expect(line).toBe(['35', '123456789', '0000001', '11501', '24549210', '12345675', 'AB00000000', '000000001000', '1', '0000000050', ' ', '     ', ' ', ' ', ' '].join(''));
    expect(fields(line)).toEqual({
      ...COMMON, format: '35', serial: '0000001', yearMonth: '11501', buyer: '24549210', number: 'AB00000000',
      sales: '000000001000', taxClass: '1', tax: '0000000050', summaryMark: ' ', customs: ' ',
    });
  });

  it('a B2C invoice: the tax-included sale with tax 0, the buyer field blank', () => {
    const line = only(filing({ invoices: [invoice({ number: 'AB00000001', issuedAt: FEB, salesAmount: 1050 })] }));
    expect(fields(line)).toEqual({
      ...COMMON, format: '35', serial: '0000001', yearMonth: '11502', buyer: '        ', number: 'AB00000001',
      sales: '000000001050', taxClass: '1', tax: '0000000000', summaryMark: ' ', customs: ' ',
    });
  });

  it('zero-rated sales carry their customs mark at byte 81 (2 through customs, 1 not)', () => {
    const [through, notThrough] = lines(filing({
      invoices: [
        invoice({ number: 'AB00000002', buyerBan: '24549210', taxType: '2', zeroTaxSalesAmount: 88000, customsClearanceMark: '2' }),
        invoice({ number: 'AB00000003', taxType: '2', zeroTaxSalesAmount: 700, customsClearanceMark: '1' }),
      ],
    }));
    expect(fields(through)).toMatchObject({ number: 'AB00000002', buyer: '24549210', sales: '000000088000', taxClass: '2', tax: '0000000000', customs: '2', summaryMark: ' ' });
    expect(fields(notThrough)).toMatchObject({ number: 'AB00000003', buyer: '        ', sales: '000000000700', taxClass: '2', customs: '1' });
  });

  it('an exempt sale is class 3 with no tax', () => {
    const line = only(filing({ invoices: [invoice({ number: 'AB00000004', taxType: '3', freeTaxSalesAmount: 320 })] }));
    expect(fields(line)).toMatchObject({ number: 'AB00000004', sales: '000000000320', taxClass: '3', tax: '0000000000', customs: ' ' });
  });

  it('a mixed (9) invoice is split into one record per tax class, under the same number', () => {
    const split = lines(filing({
      invoices: [invoice({ number: 'AB00000005', taxType: '9', salesAmount: 525, zeroTaxSalesAmount: 90, freeTaxSalesAmount: 300, customsClearanceMark: '1' })],
    })).map(fields);
    expect(split.map((f) => [f.serial, f.number, f.taxClass, f.sales, f.tax, f.customs])).toEqual([
      ['0000001', 'AB00000005', '1', '000000000525', '0000000000', ' '],
      ['0000002', 'AB00000005', '2', '000000000090', '0000000000', '1'],
      ['0000003', 'AB00000005', '3', '000000000300', '0000000000', ' '],
    ]);
  });

  it('a voided invoice is one F record with zero amounts and no buyer', () => {
    const line = only(filing({ invoices: [invoice({ number: 'AB00000006', buyerBan: '24549210', salesAmount: 2000, taxAmount: 100, voided: true })] }));
    expect(fields(line)).toEqual({
      ...COMMON, format: '35', serial: '0000001', yearMonth: '11501', buyer: '        ', number: 'AB00000006',
      sales: '000000000000', taxClass: 'F', tax: '0000000000', summaryMark: ' ', customs: ' ',
    });
  });

  it('an allowance to a business: format 33, its own month, the original number, untaxed amount and tax', () => {
    const line = only(filing({ allowances: [allowance({ buyerBan: '24549210', taxableAmount: 400, taxAmount: 20 })] }));
    expect(fields(line)).toEqual({
      ...COMMON, format: '33', serial: '0000001', yearMonth: '11502', buyer: '24549210', number: 'AB00000000',
      sales: '000000000400', taxClass: '1', tax: '0000000020', summaryMark: ' ', customs: ' ',
    });
  });

  it('an allowance to a consumer: also 33 (an e-invoice\'s), no buyer, untaxed and tax as G0401 has them', () => {
    const line = only(filing({ allowances: [allowance({ invoiceNumber: 'AB00000001', taxableAmount: 100, taxAmount: 5, freeTaxAmount: 0 })] }));
    expect(fields(line)).toMatchObject({ format: '33', buyer: '        ', number: 'AB00000001', sales: '000000000100', taxClass: '1', tax: '0000000005' });
  });

  it('an allowance over several tax classes is one record per class', () => {
    const split = lines(filing({ allowances: [allowance({ taxableAmount: 100, taxAmount: 5, freeTaxAmount: 40 })] })).map(fields);
    expect(split.map((f) => [f.format, f.taxClass, f.sales, f.tax])).toEqual([
      ['33', '1', '000000000100', '0000000005'],
      ['33', '3', '000000000040', '0000000000'],
    ]);
  });

  it('a blank range: first number at 40–49, the last one\'s digits at 24–31, class D, mark A, the period\'s month', () => {
    const line = only(filing({ blankRanges: [{ invoiceType: '07', track: 'AB', begin: 10, end: 49 }] }));
    expect(fields(line)).toEqual({
      ...COMMON, format: '35', serial: '0000001', yearMonth: '11502', buyer: '00000049', number: 'AB00000010',
      sales: '000000000000', taxClass: 'D', tax: '0000000000', summaryMark: 'A', customs: ' ',
    });
  });

  it('a single blank number is filed on its own: no end number, no mark A', () => {
    const line = only(filing({ blankRanges: [{ invoiceType: '07', track: 'AB', begin: 7, end: 7 }] }));
    expect(fields(line)).toMatchObject({ buyer: '        ', number: 'AB00000007', taxClass: 'D', summaryMark: ' ' });
  });
});

describe('the whole file', () => {
  const period = filing({
    invoices: [
      invoice({ number: 'AB00000003', salesAmount: 105 }),
      invoice({ number: 'AB00000001', buyerBan: '24549210', salesAmount: 1000, taxAmount: 50 }),
      invoice({ number: 'AB00000002', voided: true }),
    ],
    allowances: [allowance({ allowanceNumber: 'AL0002', invoiceNumber: 'AB00000003', taxableAmount: 10, taxAmount: 1 }), allowance({ allowanceDate: JAN, taxableAmount: 20, taxAmount: 1 })],
    blankRanges: [{ invoiceType: '07', track: 'AB', begin: 4, end: 49 }, { invoiceType: '07', track: 'AB', begin: 0, end: 0 }],
  });

  it('orders allowances (33), then invoices by number, then blank ranges (35), serials 1..n', () => {
    const order = buildMediaRecords(period).map((r) => [r.serial, r.formatCode, r.invoiceNumber, r.taxClass]);
    expect(order).toEqual([
      [1, '33', 'AB00000000', '1'],
      [2, '33', 'AB00000003', '1'],
      [3, '35', 'AB00000001', '1'],
      [4, '35', 'AB00000002', 'F'],
      [5, '35', 'AB00000003', '1'],
      [6, '35', 'AB00000000', 'D'],
      [7, '35', 'AB00000004', 'D'],
    ]);
  });

  it('every line is exactly 81 ASCII bytes ended by CRLF, and reads back to the same records', () => {
    const records = buildMediaRecords(period);
    const content = renderMediaFile(records);
    expect(content.endsWith(MEDIA_LINE_END)).toBe(true);
    const body = content.split('\r\n');
    expect(body.pop()).toBe('');
    expect(body).toHaveLength(records.length);
    for (const line of body) {
      expect(line).toHaveLength(MEDIA_RECORD_LENGTH);
      expect(Buffer.byteLength(line, 'utf8')).toBe(MEDIA_RECORD_LENGTH);
      expect(line).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(parseMediaFile(content)).toEqual(records);
    expect(mediaFileName('12345675')).toBe('12345675.TXT');
  });

  it('parsing refuses a line of the wrong length or with bad digits, naming the line', () => {
    const good = renderMediaFile(buildMediaRecords(period)).split('\r\n')[0];
    expect(() => parseMediaRecord(good.slice(1), 3)).toThrow('line 3: 80 bytes');
    expect(() => parseMediaRecord(good.slice(0, 49) + 'x'.repeat(12) + good.slice(61), 2)).toThrow('sales amount');
  });
});

describe('what the file cannot be made of', () => {
  const refusal = (f: PeriodFiling): DomainError => {
    try {
      buildMediaRecords(f);
    } catch (e) {
      return e as DomainError;
    }
    throw new Error('expected a refusal');
  };

  it('a seller without a tax registration number', () => {
    const e = refusal(filing({ seller: { ban: '12345675', taxRegistrationNumber: null } }));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ kind: 'conflict', code: 'MEDIA_FILE.NO_TAX_REGISTRATION_NUMBER' });
  });

  it('a tax registration number that is not 9 digits, a zero-rated sale without customs mark, an invoice of another period, an amount too wide', () => {
    const e = refusal(filing({
      seller: { ban: '12345675', taxRegistrationNumber: '12345678' },
      invoices: [
        invoice({ number: 'AB00000001', taxType: '2', zeroTaxSalesAmount: 10 }),
        invoice({ number: 'AB00000002', issuedAt: fromTaipei(2026, 3, 1), salesAmount: 10 }),
        invoice({ number: 'AB00000003', buyerBan: '24549210', salesAmount: 10 ** 12, taxAmount: 5 }),
      ],
    }));
    expect(e).toMatchObject({ kind: 'conflict', code: 'MEDIA_FILE.UNFILEABLE' });
    expect(e.details.map((d) => d.code)).toEqual(['MEDIA_FILE.TAX_REGISTRATION_NUMBER', 'MEDIA_FILE.CUSTOMS_MARK', 'MEDIA_FILE.OTHER_PERIOD', 'MEDIA_FILE.AMOUNT']);
    expect(e.details[2].message).toContain('AB00000002 is dated in period 11504');
  });
});
