import { fromTaipei } from '../taipei-time';
import { numberedLines, proofInvoice } from '../../../test/support/proof-fixtures';
import { code39Text, hex8, proofNumberLabel, proofPeriodLabel, proofQrCodes, QR_BYTE_BUDGET, qrHead, rocDate } from './proof-codes';

const VERIFICATION = 'CamotDNRUN8bVyY5S1BhFQ==';
const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('the proof labels and the Code 39 text', () => {
  it('writes the period, number and ROC date of the invoice day in Taipei', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in Taipei: the next year's first period.
    const newYear = new Date(Date.UTC(2026, 11, 31, 16, 30));
    expect(proofPeriodLabel(fromTaipei(2026, 12, 7))).toBe('115年11-12月');
    expect(proofPeriodLabel(newYear)).toBe('116年01-02月');
    expect(rocDate(newYear)).toBe('1160101');
    expect(proofNumberLabel('AB12345678')).toBe('AB-12345678');
    expect(code39Text({ number: 'AB12345678', issuedAt: fromTaipei(2026, 11, 3), randomNumber: '0123' })).toBe('11512AB123456780123');
    expect(code39Text({ number: 'UZ17690872', issuedAt: newYear, randomNumber: '0122' })).toHaveLength(19);
  });

  it('writes amounts as 8 upper-case hex digits and refuses what 8 digits cannot hold', () => {
    expect(hex8(0)).toBe('00000000');
    expect(hex8(9975)).toBe('000026F7');
    expect(hex8(0xffffffff)).toBe('FFFFFFFF');
    expect(() => hex8(0x100000000)).toThrow(RangeError);
    expect(() => hex8(10.5)).toThrow(RangeError);
  });
});

describe('the left QR head, 77 characters', () => {
  it('B2C: untaxed sales from the tax-included total, buyer 00000000', () => {
    const head = qrHead(proofInvoice('b2c'), VERIFICATION);
    expect(head).toHaveLength(77);
    expect(head).toBe(`AB12345678` + `1151207` + `0123` + `0000008F` + `00000096` + `00000000` + `12345675` + VERIFICATION);
  });

  it('B2B: sales untaxed as issued, total with tax, the buyer BAN', () => {
    const head = qrHead(proofInvoice('b2b'), VERIFICATION);
    expect(head.slice(21, 29)).toBe(hex8(9500));
    expect(head.slice(29, 37)).toBe(hex8(9975));
    expect(head.slice(37, 45)).toBe('53212539');
  });

  it('mixed tax (B2C): only the taxable part carries tax; zero-rated and exempt sales are untaxed already', () => {
    const head = qrHead(proofInvoice('mixed'), VERIFICATION);
    // 105 taxable → 100 untaxed, + 60 exempt + 200 zero-rated; total 365.
    expect(head.slice(21, 29)).toBe(hex8(360));
    expect(head.slice(29, 37)).toBe(hex8(365));
  });

  it('refuses a verification that is not 24 characters', () => {
    expect(() => qrHead(proofInvoice('b2c'), 'short')).toThrow('24 characters');
  });
});

describe('proofQrCodes', () => {
  it('a few items all go in the left code, the right one is the bare marker', () => {
    const codes = proofQrCodes(proofInvoice('b2c'), VERIFICATION);
    expect(codes.left.slice(77)).toBe(':**********:2:2:1:珍珠奶茶:2:55:Cookie:1:40');
    expect(codes.right).toBe('**');
    expect(codes).toMatchObject({ itemsInCodes: 2, itemsOnInvoice: 2 });
  });

  it('writes a colon in a name full-width and decimals as the invoice has them', () => {
    const invoice = proofInvoice('b2c', { lines: [{ description: 'A:B', quantity: 1.5, unitPrice: 20, amount: 30 }] });
    expect(proofQrCodes(invoice, VERIFICATION).left.slice(77)).toBe(':**********:1:1:1:A：B:1.5:20');
  });

  it('100 items: the left code fills to its budget, the right continues with the next, the counts say how many', () => {
    const codes = proofQrCodes(proofInvoice('b2c', { lines: numberedLines(100) }), VERIFICATION);
    const [, , recorded, total, encoding, ...leftItems] = codes.left.slice(77).split(':');
    expect([total, encoding]).toEqual(['100', '1']);
    expect(codes.right.startsWith('**:')).toBe(true);
    const rightItems = codes.right.slice(3).split(':');
    const names = [...leftItems, ...rightItems].filter((_, i) => i % 3 === 0);
    expect(Number(recorded)).toBe(names.length);
    expect(names).toEqual(numberedLines(names.length).map((l) => l.description));
    expect(leftItems.length / 3).toBeGreaterThan(0);
    expect(rightItems.length / 3).toBeGreaterThan(leftItems.length / 3);
    expect(codes.itemsInCodes).toBeLessThan(100);
    for (const text of [codes.left, codes.right]) expect(bytes(text)).toBeLessThanOrEqual(QR_BYTE_BUDGET);
    // Full: one more item would not have fitted in the right code.
    expect(bytes(codes.right) + bytes(':品項100:1:10')).toBeGreaterThan(QR_BYTE_BUDGET);
  });

  it('an item too long for either code ends the list there; the ones before it stay', () => {
    const long = { description: '長'.repeat(200), quantity: 1, unitPrice: 10, amount: 10 };
    const codes = proofQrCodes(proofInvoice('b2c', { lines: [...numberedLines(2), long, ...numberedLines(1)] }), VERIFICATION);
    expect(codes.left.slice(77)).toBe(':**********:2:4:1:品項001:1:10:品項002:1:10');
    expect(codes.right).toBe('**');
  });
});
